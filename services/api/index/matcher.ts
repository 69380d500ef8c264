// One IndexQuery against the columns: whether a user passes, and every user that does, found from the
// narrowest source of candidates: the members of the groups asked for, the users holding the search's rarest
// trigrams, one slice of a timestamp's order, or the slots of the id range (every user, for most queries).
import type { UserColumns } from './columns';
import type { IndexQuery } from './query';
import type { SearchTerms } from './searchIndex';

export class Matcher {
  private readonly terms: SearchTerms | null;
  /** The sorted slots within the id bounds (slots.ts): [from, to), as of `rangeAt` sorted slots. */
  private from = 0;
  private to = 0;
  private rangeAt = -1;
  private readonly bounded: boolean;

  /** A matcher lives as long as its query's kept count (userIndex.ts): it follows the slots as they grow. */
  constructor(private readonly cols: UserColumns, readonly q: IndexQuery) {
    this.terms = q.search.length === 0 ? null : cols.search.terms(q.search);
    this.bounded = q.idMin !== null || q.idMax !== null;
  }

  private range(): void {
    const { slots } = this.cols;
    if (this.rangeAt === slots.sortedEnd) return;
    this.rangeAt = slots.sortedEnd;
    ({ from: this.from, to: this.to } = this.bounded ? slots.sortedRange(this.q.idMin, this.q.idMax) : { from: 0, to: slots.sortedEnd });
  }

  /** Whether the user passes (`listed`: found in every list of the search's, SearchIndex.eachCandidate). */
  passes(slot: number, listed = false): boolean {
    const { cols, q } = this;
    if (((cols.flags[slot] as number) & q.mask) !== q.value) return false;
    if (this.bounded && !this.inIdRange(slot)) return false;
    if (q.groups.length > 0 && !cols.groups.passes(slot, q.groups)) return false;
    if (q.times.length > 0 && !this.inTimes(slot)) return false;
    return this.terms === null || cols.search.holds(slot, this.terms, listed);
  }

  private inIdRange(slot: number): boolean {
    const { slots } = this.cols;
    if (slot >= slots.sortedEnd) return slots.inRange(slot, this.q.idMin, this.q.idMax);
    this.range();
    return slot >= this.from && slot < this.to;
  }

  /** Whether each of the date ranges holds (a null timestamp is in none, as in SQL). */
  private inTimes(slot: number): boolean {
    for (const r of this.q.times) {
      const t = this.cols.time(slot, r.col);
      if (!(t >= r.from && t < r.to)) return false;
    }
    return true;
  }

  /** Calls fn with each matching user, once. */
  each(fn: (slot: number) => void): void {
    const { cols, q } = this;
    const test = (slot: number, listed = false) => {
      if (this.passes(slot, listed)) fn(slot);
    };
    if (q.groups.length > 0) {
      for (const slot of cols.groups.candidates(q.groups)) test(slot);
      return;
    }
    if (this.terms !== null && cols.search.eachCandidate(this.terms, test)) return;
    const slice = q.times.length === 0 ? null : cols.order?.narrowest(q.times);
    // A slice of a quarter of the users or more is read faster by the plain pass below.
    if (slice && slice.size * 4 < cols.slots.size) {
      cols.order?.each(slice, test);
      return;
    }
    this.scan(fn);
    for (const slot of cols.slots.unsorted) test(slot);
  }

  /**
   * The loop most counts and pages run over a million users: typed arrays in locals, integer indexes, one
   * date range read without an inner loop (about 2 ms for a million here). Only the id range's slots.
   */
  private scan(fn: (slot: number) => void): void {
    const { cols, q, terms } = this;
    const { flags } = cols;
    this.range();
    const { mask, value } = q;
    const [one, ...more] = q.times;
    const column = one === undefined ? null : (cols.times[one.col] as Float64Array);
    const low = one?.from ?? -Infinity;
    const high = one?.to ?? Infinity;
    for (let slot = this.from, end = this.to; slot < end; slot++) {
      if (((flags[slot] as number) & mask) !== value) continue;
      if (column !== null) {
        const t = column[slot] as number;
        if (!(t >= low && t < high)) continue;
        if (more.length > 0 && !this.inTimes(slot)) continue;
      }
      if (terms !== null && !cols.search.holds(slot, terms)) continue;
      fn(slot);
    }
  }
}
