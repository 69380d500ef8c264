// The first users of a page in memory by walking the ordering, as PostgreSQL walks an index: from the start of
// the order (timeOrder.ts for a timestamp, the ids themselves for id), testing each user, until the page is
// full. A search with filters keeps 3% of the users: about 330 are tested for a page of ten, where a pass over
// the search's candidates tests 75,000 (6 ms). Used once the request's count is known, for orderings of one
// numeric field and id.
import { Key, topIds } from './topIds';
import type { NumericTerm } from './query';
import type { TimeOrder } from './timeOrder';

export type Walkable = Readonly<{
  /** Slots below this are in id order and walked; the others (unsorted) are all tested. */
  sortedSize: number;
  unsorted: Iterable<number>;
  passes: (id: number) => boolean;
  /** A user's value of a timestamp (TIMESTAMPS index), NaN for null. */
  value: (col: number, id: number) => number;
  order: TimeOrder;
  keys: readonly Key[];
}>;

/**
 * The first `n` matching users in this order, or null when the ordering is not one field and id, or when the
 * walk would test more than `budget` users (rare matches: the caller ranks the candidates instead).
 */
export function walkTop(w: Walkable, order: readonly NumericTerm[], n: number, budget: number): number[] | null {
  const [first, tie] = order;
  if (first === undefined || order.length > 2 || (tie !== undefined && tie.column !== 'id')) return null;
  const pool: number[] = [];
  const limit = budget;
  let steps = 0;
  /** Tests a user met in order; false stops the walk: past the budget, or past the group (equal key) of the n-th match. */
  let cutoff: number | null = null;
  let complete = true;
  const visit = (id: number, group: number): boolean => {
    if (cutoff !== null && group !== cutoff) return false;
    if (++steps > limit) return (complete = false);
    if (w.passes(id) && pool.push(id) >= n && cutoff === null) cutoff = group;
    return true;
  };
  const rank = () => (complete ? topIds((fn) => pool.forEach(fn), w.keys, n) : null);
  if (first.column === 'id') {
    for (let k = 0; k < w.sortedSize && visit(first.descending ? w.sortedSize - 1 - k : k, k);) k++;
    // The slots out of id order are all tested (a timestamp's walk meets them among the users written since its build).
    for (const id of w.unsorted) if (w.passes(id)) pool.push(id);
    return rank();
  }
  const col = first.column;
  /** The users with a value (or without one), in order: the walk, then every user written since at its current value. */
  const phase = (nulls: boolean) => {
    cutoff = null;
    if (nulls) w.order.walkNulls(col, tie?.descending ?? first.descending, (id) => visit(id, id));
    // Ties are to the second in the order, not the µs: the walk goes on to the end of the second it reached.
    else w.order.walk(col, first.descending, (id) => w.value(col, id), visit);
    for (const id of w.order.written) if (Number.isNaN(w.value(col, id)) === nulls && w.passes(id)) pool.push(id);
  };
  // Nulls sort as the greatest value (PostgreSQL): first going down, last going up, among themselves by id.
  phase(first.descending);
  if (complete && pool.length < n) phase(!first.descending);
  return rank();
}
