// The users (slots) in order of each timestamp, as of the index's load: what a page in memory walks from
// either end, testing each user against the query's bitmap (orderWalk.ts), as PostgreSQL walks an ordering's
// index. Users written after the build are skipped by the walk and ranked apart at their current values.
// 4 bytes per user and timestamp.

import { inTurns, Uint32List } from './yieldEvery';
import { sortBy } from './radixSort';

/** Users written after the build are tested one by one; past this many, a rebuild is due. */
const CHANGED_MAX = 20_000;
const MICROS = 1_000_000;

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
   * a radix sort on whole seconds (radixSort.ts), in turns of the event loop (a comparison sort of a million
   * takes 400 ms in one go, holding requests up).
   */
  static async build(columns: readonly Float64Array[], present: (id: number) => boolean): Promise<TimeOrder> {
    const orders: Array<{ ids: Int32Array; nulls: Int32Array }> = [];
    for (const column of columns) {
      const ids = new Uint32List();
      const nulls = new Uint32List();
      await inTurns(column.length, (from, to) => {
        for (let id = from; id < to; id++) if (present(id)) (Number.isNaN(column[id]) ? nulls : ids).push(id);
      });
      const secondOf = (id: number) => Math.floor((column[id] as number) / MICROS);
      orders.push({ ids: new Int32Array((await sortBy(ids.view(), secondOf)).buffer), nulls: new Int32Array(nulls.view().slice().buffer) });
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
