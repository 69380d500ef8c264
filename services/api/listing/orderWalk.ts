// The first users of a page in memory by walking the ordering, as PostgreSQL walks an index: from the start of
// the order (timeOrder.ts for a timestamp, the ids themselves for id), testing each user, until the page is
// full. A search with filters keeps 3% of the users: about 330 are tested for a page of ten, where a pass over
// the search's candidates tests 75,000 (6 ms). Used once the request's count is known, for orderings of one
// numeric field and id.
import { NumericTerm, topIds } from './topIds';
import type { TimeOrder } from './timeOrder';

/** Users tested, at most, before the walk gives up (rare matches): the caller ranks the candidates instead. */
const WALK_MAX = 50_000;

export type Walkable = Readonly<{
  /** Ids below this are walked directly; the far ids are all tested. */
  directSize: number;
  farIds: () => Iterable<number>;
  passes: (id: number) => boolean;
  /** A user's value of a timestamp (TIMESTAMPS index), NaN for null. */
  value: (col: number, id: number) => number;
  order: TimeOrder;
  keys: Parameters<typeof topIds>[1];
}>;

/** The first `n` matching users in this order, or null when the ordering is not one field and id, or the walk is too long. */
export function walkTop(w: Walkable, order: readonly NumericTerm[], n: number): number[] | null {
  const [first, tie] = order;
  if (first === undefined || order.length > 2 || (tie !== undefined && tie.column !== 'id')) return null;
  const pool: number[] = [];
  let steps = 0;
  /** Direct ids in the tie's direction (id order), those `wanted`, until the pool holds n. False past WALK_MAX. */
  const byId = (descending: boolean, wanted: (id: number) => boolean): boolean => {
    for (let k = 0; k < w.directSize && pool.length < n; k++) {
      const id = descending ? w.directSize - 1 - k : k;
      if (++steps > WALK_MAX) return false;
      if (wanted(id) && w.passes(id)) pool.push(id);
    }
    return true;
  };
  const rank = () => {
    for (const id of w.farIds()) if (w.passes(id)) pool.push(id);
    return topIds((fn) => pool.forEach(fn), w.keys, n);
  };
  if (first.column === 'id') return byId(first.descending, () => true) ? rank() : null;

  const col = first.column;
  const isNull = (id: number) => Number.isNaN(w.value(col, id));
  const tieDescending = tie?.descending ?? first.descending;
  // Nulls sort as the greatest value (PostgreSQL): first going down, last going up, among themselves by id.
  if (first.descending && !byId(tieDescending, isNull)) return null;
  let cutoff: number | null = null;
  let complete = true;
  if (pool.length < n) {
    // The walk goes on to the end of the last second it reached: its users tie to the second, not the µs.
    w.order.walk(col, first.descending, (id, second) => {
      if (cutoff !== null && second !== cutoff) return false;
      if (++steps > WALK_MAX) return (complete = false);
      if (w.passes(id) && pool.push(id) >= n && cutoff === null) cutoff = second;
      return true;
    });
    if (!complete) return null;
    // Users written since the build are not in the order: each is tested with its current value.
    for (const id of w.order.written) if (!isNull(id) && w.passes(id)) pool.push(id);
  }
  if (!first.descending && pool.length < n && !byId(tieDescending, isNull)) return null;
  return rank();
}
