// The users of each UTC day of each timestamp, and those without one, as compressed bitmaps (Roaring). A date
// filter is whole UTC days (api.md), so its users are exactly the union of its days' bitmaps. A page ordered by
// a timestamp reads the days in that order, intersecting each with the query's bitmap, until the page is full:
// its cost follows the days crossed and the matches in them, not the users (PostgreSQL's order puts nulls
// after every value: first going down, last going up).
import { RoaringBitmap32 } from 'roaring';
import { TIMESTAMPS, TimeRange } from './query';
import { inTurns } from './yieldEvery';
import { Uint32List } from './growable';

const DAY_MICROS = 86_400_000_000;
const dayOf = (micros: number) => Math.floor(micros / DAY_MICROS);

class Column {
  readonly days = new Map<number, RoaringBitmap32>();
  nulls = new RoaringBitmap32();
  /** The days held, ascending; rebuilt when a day is added. */
  private sorted: number[] | null = [];

  add(slot: number, day: number): void {
    let bitmap = this.days.get(day);
    if (bitmap === undefined) {
      this.days.set(day, (bitmap = new RoaringBitmap32()));
      this.sorted = null;
    }
    bitmap.add(slot);
  }

  remove(slot: number, day: number): void {
    this.days.get(day)?.remove(slot);
  }

  forgetOrder(): void {
    this.sorted = null;
  }

  sortedDays(): readonly number[] {
    return (this.sorted ??= [...this.days.keys()].sort((a, b) => a - b));
  }

  /** The users of the days in [from, to) µs (whole days, either end open), as one new bitmap. */
  range(from: number, to: number): RoaringBitmap32 {
    const sorted = this.sortedDays();
    const [first, end] = [from === -Infinity ? -Infinity : dayOf(from), to === Infinity ? Infinity : dayOf(to)];
    const wanted: RoaringBitmap32[] = [];
    for (let i = lowerBound(sorted, first); i < sorted.length && (sorted[i] as number) < end; i++) wanted.push(this.days.get(sorted[i] as number) as RoaringBitmap32);
    return RoaringBitmap32.orMany(wanted);
  }
}

export class DayBuckets {
  private readonly columns = TIMESTAMPS.map(() => new Column());

  /** Records a slot's timestamp (epoch µs, NaN for none) in place of what it was (NaN for a new slot). */
  set(slot: number, col: number, was: number, now: number): void {
    const column = this.columns[col] as Column;
    if (Number.isNaN(now)) column.nulls.add(slot);
    else column.nulls.remove(slot);
    const [a, b] = [Number.isNaN(was) ? null : dayOf(was), Number.isNaN(now) ? null : dayOf(now)];
    if (a === b) return;
    if (a !== null) column.remove(slot, a);
    if (b !== null) column.add(slot, b);
  }

  /** The users in every range (an intersection of unions of days), or null for no range. */
  select(ranges: readonly TimeRange[]): RoaringBitmap32 | null {
    let result: RoaringBitmap32 | null = null;
    for (const r of ranges) {
      const users = (this.columns[r.col] as Column).range(r.from, r.to);
      result = result === null ? users : result.andInPlace(users);
    }
    return result;
  }

  /**
   * The members of `bits` in the first days of the column's order, and its nulls where they sort, until at
   * least n are found (the whole last day: the caller ranks them by the exact value). `nullsFirst` picks the
   * candidates among the members without a value: at least the first `wanted` of them by the rest of the order.
   */
  firstInOrder(col: number, descending: boolean, bits: RoaringBitmap32, n: number, nullsFirst: (nulls: RoaringBitmap32, wanted: number) => number[]): number[] {
    const column = this.columns[col] as Column;
    const found: number[] = [];
    const add = (day: RoaringBitmap32) => {
      if (day.intersects(bits)) for (const slot of RoaringBitmap32.and(bits, day).toUint32Array()) found.push(slot);
    };
    const addNulls = () => {
      if (column.nulls.intersects(bits)) for (const slot of nullsFirst(RoaringBitmap32.and(bits, column.nulls), n - found.length)) found.push(slot);
    };
    if (descending) addNulls();
    const days = column.sortedDays();
    for (let k = 0; k < days.length && found.length < n; k++) add(column.days.get(days[descending ? days.length - 1 - k : k] as number) as RoaringBitmap32);
    if (!descending && found.length < n) addNulls();
    return found;
  }

  /** After a load: every slot's day (or null), in turns of the event loop, then each day's bitmap from its sorted slots at once. */
  async load(times: readonly Float64Array[], size: number): Promise<void> {
    for (const [col, values] of times.entries()) {
      const byDay = new Map<number, Uint32List>();
      const nulls = new Uint32List();
      let [lastDay, last] = [NaN, new Uint32List()];
      await inTurns(size, (from, to) => {
        for (let slot = from; slot < to; slot++) {
          const t = values[slot] as number;
          if (Number.isNaN(t)) {
            nulls.push(slot);
            continue;
          }
          const day = dayOf(t);
          // Consecutive slots often share a day (created_at follows the ids): one lookup per run.
          if (day !== lastDay) {
            let slots = byDay.get(day);
            if (slots === undefined) byDay.set(day, (slots = new Uint32List()));
            [lastDay, last] = [day, slots];
          }
          last.push(slot);
        }
      });
      const column = this.columns[col] as Column;
      let made = 0;
      for (const [day, slots] of byDay) {
        column.days.set(day, optimized(new RoaringBitmap32(slots.view())));
        if (++made % 64 === 0) await new Promise(setImmediate);
      }
      column.nulls = optimized(new RoaringBitmap32(nulls.view()));
      column.forgetOrder();
    }
  }

  get bytes(): number {
    let n = 0;
    for (const c of this.columns) for (const b of [...c.days.values(), c.nulls]) n += b.getSerializationSizeInBytes('croaring') + 48;
    return n;
  }
}

function optimized(bitmap: RoaringBitmap32): RoaringBitmap32 {
  bitmap.runOptimize();
  return bitmap;
}

function lowerBound(xs: readonly number[], v: number): number {
  let [lo, hi] = [0, xs.length];
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((xs[mid] as number) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
