// One IndexQuery's answer: the bitmap of the users that pass it, the intersection of each test's bitmap (flag
// bits, groups, days, the search's users, the id range). Counts, pages and the online users that match are
// read from it: the work follows the answer's bitmaps, not the directory.
import { RoaringBitmap32 } from 'roaring';
import type { UserColumns } from './columns';
import type { IndexQuery } from './query';

export class Matches {
  /** The users that pass. */
  readonly bits: RoaringBitmap32;

  /** `searched`: the users whose text holds the query's search terms (null without a search). */
  constructor(private readonly cols: UserColumns, readonly q: IndexQuery, searched: RoaringBitmap32 | null) {
    const bits = cols.bits.select(q.mask, q.value);
    for (const part of [cols.groups.select(q.groups), cols.days.select(q.times), searched]) if (part !== null) bits.andInPlace(part);
    if (q.idMin !== null || q.idMax !== null) bits.andInPlace(this.idRange(bits));
    this.bits = bits;
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

  get count(): number {
    return this.bits.size;
  }
}

/**
 * The first `n` members in id order among the slots sorted by id, read from the bitmap's end that order starts
 * at, then every member among the others (slots.ts): the candidates of a page ordered by id.
 */
export function firstById(bits: RoaringBitmap32, sortedEnd: number, descending: boolean, n: number): number[] {
  const sorted = sortedCount(bits, sortedEnd);
  const take = Math.min(n, sorted);
  const first = bits.rangeUint32Array(descending ? sorted - take : 0, take);
  return [...first, ...unsortedOf(bits, sortedEnd)];
}

/** How many members are slots below `sortedEnd` (rangeUint32Array pages by rank, not by value). */
const sortedCount = (bits: RoaringBitmap32, sortedEnd: number) => (sortedEnd === 0 ? 0 : bits.rank(sortedEnd - 1));

/** The members at or past `sortedEnd`: slots out of id order. */
const unsortedOf = (bits: RoaringBitmap32, sortedEnd: number) => {
  const k = sortedCount(bits, sortedEnd);
  return k === bits.size ? [] : bits.rangeUint32Array(k, bits.size - k);
};
