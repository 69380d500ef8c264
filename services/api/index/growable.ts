// Typed arrays that grow: the index's columns are typed arrays by slot, made larger as the directory grows.
type Typed = Uint8Array | Uint16Array | Int32Array | Uint32Array | Float64Array;

/** A copy of the array with room for `capacity` entries (the new ones zero). */
export function grown<T extends Typed>(a: T, capacity: number): T {
  const bigger = new (a.constructor as new (n: number) => T)(capacity);
  bigger.set(a);
  return bigger;
}

/** A Uint32Array that grows as values are pushed. */
export class Uint32List {
  private values = new Uint32Array(16);
  length = 0;

  push(v: number): void {
    if (this.length === this.values.length) this.values = grown(this.values, this.values.length * 2);
    this.values[this.length++] = v;
  }

  view(): Uint32Array {
    return this.values.subarray(0, this.length);
  }
}
