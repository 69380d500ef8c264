// The users of each UTC day of each timestamp, as compressed bitmaps (Roaring): a date filter is whole UTC
// days (api.md), so its users are exactly the union of its days' bitmaps. A null timestamp is in no day.
import { RoaringBitmap32 } from 'roaring';
import { TIMESTAMPS, TimeRange } from './query';
import { inTurns, Uint32List } from './yieldEvery';

const DAY_MICROS = 86_400_000_000;
const dayOf = (micros: number) => Math.floor(micros / DAY_MICROS);

class Column {
  readonly days = new Map<number, RoaringBitmap32>();
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

  forgetOrder(): void {
    this.sorted = null;
  }

  remove(slot: number, day: number): void {
    this.days.get(day)?.remove(slot);
  }

  /** The users of the days in [from, to) µs (whole days, either end open), as one new bitmap. */
  range(from: number, to: number): RoaringBitmap32 {
    const sorted = (this.sorted ??= [...this.days.keys()].sort((a, b) => a - b));
    const [first, end] = [from === -Infinity ? -Infinity : dayOf(from), to === Infinity ? Infinity : dayOf(to)];
    const wanted: RoaringBitmap32[] = [];
    for (let i = lowerBound(sorted, first); i < sorted.length && (sorted[i] as number) < end; i++) wanted.push(this.days.get(sorted[i] as number) as RoaringBitmap32);
    return RoaringBitmap32.orMany(wanted);
  }
}

export class DayBuckets {
  private readonly columns = TIMESTAMPS.map(() => new Column());

  /** Records a slot's timestamp (epoch µs, NaN for none) in place of what it was. */
  set(slot: number, col: number, was: number, now: number): void {
    const column = this.columns[col] as Column;
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
      result = result === null ? users : (result.andInPlace(users), result);
    }
    return result;
  }

  /** After a load: every slot's days, in turns of the event loop, then each day's bitmap from its sorted slots at once. */
  async load(times: readonly Float64Array[], size: number): Promise<void> {
    for (const [col, column] of times.entries()) {
      const byDay = new Map<number, Uint32List>();
      let [lastDay, last] = [NaN, new Uint32List()];
      await inTurns(size, (from, to) => {
        for (let slot = from; slot < to; slot++) {
          const t = column[slot] as number;
          if (Number.isNaN(t)) continue;
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
      for (const [day, slots] of byDay) {
        const bitmap = new RoaringBitmap32(slots.view());
        bitmap.runOptimize();
        (this.columns[col] as Column).days.set(day, bitmap);
      }
      (this.columns[col] as Column).forgetOrder();
    }
  }

  get bytes(): number {
    let n = 0;
    for (const c of this.columns) for (const b of c.days.values()) n += b.getSerializationSizeInBytes('croaring') + 48;
    return n;
  }
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
