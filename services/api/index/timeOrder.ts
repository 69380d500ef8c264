// The users (slots) in order of each timestamp, as of the index's load: what a page in memory walks from
// either end, testing each user against the query's bitmap (orderWalk.ts), as PostgreSQL walks an ordering's
// index. Users written after the build are skipped by the walk and ranked apart at their current values.
// 4 bytes per user and timestamp.

/** Users written after the build are tested one by one; past this many, a rebuild is due. */
const CHANGED_MAX = 20_000;
const MICROS = 1_000_000;
const RADIX = 2048;

export class TimeOrder {
  /** Per timestamp: the present users that have one, in order of its whole second. */
  private readonly ids: Int32Array[];
  /** Per timestamp: the present users that have none, ascending. */
  private readonly nulls: Int32Array[];
  private changed: Uint8Array;
  private readonly changedIds: number[] = [];

  private constructor(orders: ReadonlyArray<{ ids: Int32Array; nulls: Int32Array }>, size: number) {
    this.changed = new Uint8Array(size);
    this.ids = orders.map((o) => o.ids);
    this.nulls = orders.map((o) => o.nulls);
  }

  /**
   * Orders the present users that have a value by each column (values in epoch microseconds, NaN for none):
   * a radix sort on whole seconds, 11 bits a pass, yielding between passes (a comparison sort of a million
   * takes 400 ms in one go, holding requests up).
   */
  static async build(columns: readonly Float64Array[], present: (id: number) => boolean): Promise<TimeOrder> {
    const orders: Array<{ ids: Int32Array; nulls: Int32Array }> = [];
    for (const column of columns) {
      const ids: number[] = [];
      const nulls: number[] = [];
      for (let id = 0; id < column.length; id++) if (present(id)) (Number.isNaN(column[id]) ? nulls : ids).push(id);
      await new Promise(setImmediate);
      const sorted = await radixOrder(Int32Array.from(ids), Float64Array.from(ids, (id) => Math.floor((column[id] as number) / MICROS)));
      orders.push({ ids: sorted.ids, nulls: Int32Array.from(nulls) });
    }
    return new TimeOrder(orders, columns[0]?.length ?? 0);
  }

  get wantsRebuild(): boolean {
    return this.changedIds.length > CHANGED_MAX;
  }

  /** Marks a user written after the build (its values may have moved). */
  touch(id: number): void {
    if (id >= this.changed.length) {
      const grown = new Uint8Array(Math.max(id + 1, this.changed.length * 2));
      grown.set(this.changed);
      this.changed = grown;
    }
    if (this.changed[id] === 1) return;
    this.changed[id] = 1;
    this.changedIds.push(id);
  }

  /**
   * Walks the column's users not written since the build from its low end (or high end), with each one's
   * whole second (`value`: its timestamp in µs), until fn returns false.
   */
  walk(col: number, descending: boolean, value: (id: number) => number, fn: (id: number, second: number) => boolean): void {
    const { changed } = this;
    const ids = this.ids[col] as Int32Array;
    for (let k = 0; k < ids.length; k++) {
      const id = ids[descending ? ids.length - 1 - k : k] as number;
      if (changed[id] !== 1 && !fn(id, Math.floor(value(id) / MICROS))) return;
    }
  }

  /** Walks the column's users that had no value and were not written since the build, by id, until fn returns false. */
  walkNulls(col: number, descending: boolean, fn: (id: number) => boolean): void {
    const { changed } = this;
    const ids = this.nulls[col] as Int32Array;
    for (let k = 0; k < ids.length; k++) {
      const id = ids[descending ? ids.length - 1 - k : k] as number;
      if (changed[id] !== 1 && !fn(id)) return;
    }
  }

  /** The users written since the build. */
  get written(): readonly number[] {
    return this.changedIds;
  }

  get bytes(): number {
    return [...this.ids, ...this.nulls].reduce((n, a) => n + a.byteLength, 0) + this.changed.byteLength + this.changedIds.length * 8;
  }
}

/** The ids and their keys (whole numbers) in order of the keys: least significant digit first, stable. */
async function radixOrder(ids: Int32Array<ArrayBuffer>, keys: Float64Array<ArrayBuffer>): Promise<{ ids: Int32Array; keys: Float64Array }> {
  let min = Infinity;
  let max = -Infinity;
  for (const k of keys) [min, max] = [Math.min(min, k), Math.max(max, k)];
  let [src, srcKeys, dst, dstKeys] = [ids, keys, new Int32Array(ids.length), new Float64Array(ids.length)];
  const count = new Int32Array(RADIX);
  for (let div = 1; div <= max - min; div *= RADIX) {
    count.fill(0);
    const digit = (i: number) => Math.floor(((srcKeys[i] as number) - min) / div) % RADIX;
    for (let i = 0; i < src.length; i++) count[digit(i)] = (count[digit(i)] as number) + 1;
    for (let d = 0, at = 0; d < RADIX; d++) [count[d], at] = [at, at + (count[d] as number)];
    await new Promise(setImmediate);
    for (let i = 0; i < src.length; i++) {
      const d = digit(i);
      const at = count[d] as number;
      count[d] = at + 1;
      dst[at] = src[i] as number;
      dstKeys[at] = srcKeys[i] as number;
    }
    [src, srcKeys, dst, dstKeys] = [dst, dstKeys, src, srcKeys];
    await new Promise(setImmediate);
  }
  return { ids: src, keys: srcKeys };
}
