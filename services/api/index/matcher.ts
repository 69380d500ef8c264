// One IndexQuery's answer: the bitmap of the users that pass it, the intersection of each test's bitmap (flag
// bits, groups, days, the search's trigrams, the id range), and the search terms left to test on the text of
// each member (terms of other than three characters). Counts, pages and the online users that match are read
// from it: the work follows the answer, not the directory.
import { RoaringBitmap32 } from 'roaring';
import type { UserColumns } from './columns';
import type { IndexQuery } from './query';
import type { SearchTerms } from './searchIndex';

/** Members tested against their texts per step of a page in id order. */
const CHUNK = 256;

export class Matches {
  /** The users that pass every test but the unproven search terms. */
  readonly bits: RoaringBitmap32;
  private readonly terms: SearchTerms | null;
  private counted: number | null = null;

  constructor(private readonly cols: UserColumns, readonly q: IndexQuery) {
    const bits = cols.bits.select(q.mask, q.value);
    for (const part of [cols.groups.select(q.groups), cols.days.select(q.times)]) if (part !== null) bits.andInPlace(part);
    const terms = q.search.length === 0 ? null : cols.search.terms(q.search);
    const candidates = terms === null ? null : cols.search.candidates(terms);
    if (candidates !== null) bits.andInPlace(candidates);
    if (q.idMin !== null || q.idMax !== null) bits.andInPlace(this.idRange(bits));
    this.bits = bits;
    this.terms = terms !== null && terms.unproven.length > 0 ? terms : null;
  }

  /** The slots whose ids are within the bounds: a range of the sorted ones, and those of the others (in `bits`) tested one by one. */
  private idRange(bits: RoaringBitmap32): RoaringBitmap32 {
    const { slots } = this.cols;
    const { from, to } = slots.sortedRange(this.q.idMin, this.q.idMax);
    const range = new RoaringBitmap32();
    if (from < to) range.addRange(from, to);
    for (const slot of unsortedOf(bits, slots.sortedEnd)) if (slots.inRange(slot, this.q.idMin, this.q.idMax)) range.add(slot);
    return range;
  }

  /** Whether the user passes. */
  passes(slot: number): boolean {
    return this.bits.has(slot) && (this.terms === null || this.cols.search.holds(slot, this.terms));
  }

  get count(): number {
    if (this.counted === null) {
      let n = 0;
      if (this.terms === null) n = this.bits.size;
      else for (const slot of this.bits.toUint32Array()) if (this.cols.search.holds(slot, this.terms)) n++;
      this.counted = n;
    }
    return this.counted;
  }

  /** Every member, ascending. */
  each(fn: (slot: number) => void): void {
    for (const slot of this.bits.toUint32Array()) if (this.terms === null || this.cols.search.holds(slot, this.terms)) fn(slot);
  }

  /**
   * The first `n` members in id order among the slots sorted by id, read from the bitmap's end that order
   * starts at, then every member among the others (slots.ts): the candidates of a page ordered by id.
   */
  byId(descending: boolean, n: number): number[] {
    const sorted = sortedCount(this.bits, this.cols.slots.sortedEnd);
    const found: number[] = [];
    for (let done = 0; found.length < n && done < sorted; done += CHUNK) {
      const take = Math.min(CHUNK, sorted - done);
      const chunk = this.bits.rangeUint32Array(descending ? sorted - done - take : done, take);
      for (let i = 0; i < chunk.length && found.length < n; i++) {
        const slot = chunk[descending ? chunk.length - 1 - i : i] as number;
        if (this.terms === null || this.cols.search.holds(slot, this.terms)) found.push(slot);
      }
    }
    for (const slot of unsortedOf(this.bits, this.cols.slots.sortedEnd)) if (this.terms === null || this.cols.search.holds(slot, this.terms)) found.push(slot);
    return found;
  }
}

/** How many members are slots below `sortedEnd` (rangeUint32Array pages by rank, not by value). */
const sortedCount = (bits: RoaringBitmap32, sortedEnd: number) => (sortedEnd === 0 ? 0 : bits.rank(sortedEnd - 1));

/** The members at or past `sortedEnd`: slots out of id order. */
const unsortedOf = (bits: RoaringBitmap32, sortedEnd: number) => {
  const k = sortedCount(bits, sortedEnd);
  return k === bits.size ? [] : bits.rangeUint32Array(k, bits.size - k);
};
