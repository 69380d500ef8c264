// The counts of the queries asked last, kept exact as users change: a request asked again is counted without a
// pass over the users. Each user written is tested against every kept query before and after (userIndex.ts).
import type { IndexQuery } from './query';

/** Queries whose counts are kept, the least recently asked forgotten first. */
const KEPT = 256;

export class KeptCounts {
  private readonly counts = new Map<string, { q: IndexQuery; n: number }>();

  /** The kept count of the query, or `counted()`, kept from now on; the query becomes the most recently asked. */
  get(q: IndexQuery, counted: () => number): number {
    const k = keyOf(q);
    let kept = this.counts.get(k);
    if (kept === undefined) {
      kept = { q, n: counted() };
      if (this.counts.size >= KEPT) this.counts.delete(this.counts.keys().next().value as string);
    } else this.counts.delete(k);
    this.counts.set(k, kept);
    return kept.n;
  }

  /** Adds `sign` for each kept query the user passes: -1 before a user changes, +1 after. */
  adjust(sign: 1 | -1, passes: (q: IndexQuery) => boolean): void {
    for (const kept of this.counts.values()) if (passes(kept.q)) kept.n += sign;
  }

  /** Forgets the queries that name groups (a group was created or deleted). */
  forgetGroups(): void {
    for (const [k, kept] of this.counts) if (kept.q.groups.length > 0) this.counts.delete(k);
  }
}

/** The query as text: bigints as their digits, infinite date bounds by name (JSON would write both as null). */
function keyOf(q: IndexQuery): string {
  return JSON.stringify(q, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
}
