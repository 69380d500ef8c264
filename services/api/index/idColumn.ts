// Each slot's id as a number (slots.ts): exact below 2^53, past it rounded, which keeps the order (slots.ts
// keeps those ids exactly beside). Held in 4 bytes a slot while every id lies within 2^32 above the first
// one written (the load's smallest: the usual directory), else in 8; it widens once, when an id does not fit.
import { grown } from './growable';

export class IdColumn {
  private narrow: Uint32Array | null = new Uint32Array(1024);
  private wide = new Float64Array(0);
  private base = NaN;

  get(slot: number): number {
    return this.narrow === null ? (this.wide[slot] as number) : (this.narrow[slot] as number) + this.base;
  }

  set(slot: number, id: number): void {
    if (this.narrow !== null) {
      if (Number.isNaN(this.base) && Number.isSafeInteger(id)) this.base = id;
      const offset = id - this.base;
      if (Number.isSafeInteger(id) && offset >= 0 && offset <= 0xffff_ffff) {
        this.narrow[slot] = offset;
        return;
      }
      this.widen();
    }
    this.wide[slot] = id;
  }

  private widen(): void {
    const narrow = this.narrow as Uint32Array;
    this.wide = new Float64Array(narrow.length);
    for (let slot = 0; slot < narrow.length; slot++) this.wide[slot] = (narrow[slot] as number) + this.base;
    this.narrow = null;
  }

  /** Room for `capacity` slots. */
  grow(capacity: number): void {
    if (capacity <= this.length) return;
    if (this.narrow === null) this.wide = grown(this.wide, capacity);
    else this.narrow = grown(this.narrow, capacity);
  }

  get length(): number {
    return this.narrow?.length ?? this.wide.length;
  }

  get bytes(): number {
    return this.narrow?.byteLength ?? this.wide.byteLength;
  }
}
