// The counts of the tests asked last (facets.ts), kept exact as users change: a request asked again is counted
// without a pass over the users. Each user written is tested against every kept test before and after.
import type { FacetSpec } from './facetSpec';

/** Tests whose counts are kept, the least recently asked forgotten first. */
const KEPT = 256;

export class KeptCounts {
  private readonly counts = new Map<string, { spec: FacetSpec; n: number }>();

  /** The kept count of the test, or `counted()`, kept from now on; the test becomes the most recently asked. */
  get(spec: FacetSpec, counted: () => number): number {
    const k = keyOf(spec);
    let kept = this.counts.get(k);
    if (kept === undefined) {
      kept = { spec, n: counted() };
      if (this.counts.size >= KEPT) this.counts.delete(this.counts.keys().next().value as string);
    } else this.counts.delete(k);
    this.counts.set(k, kept);
    return kept.n;
  }

  /** Adds `sign` times `passes` (1 or 0) of each kept test: -1 before a user changes, +1 after. */
  adjust(sign: 1 | -1, passes: (spec: FacetSpec) => number): void {
    for (const kept of this.counts.values()) kept.n += sign * passes(kept.spec);
  }

  /** Forgets the tests that name groups (a group was created or deleted). */
  forgetGroups(): void {
    for (const [k, kept] of this.counts) if (kept.spec.groups.length > 0) this.counts.delete(k);
  }
}

/** The test as text. JSON writes Infinity and -Infinity alike, as null: an id bound past 2^63 (nobody) and none (everybody) then shared one count. */
function keyOf(spec: FacetSpec): string {
  return JSON.stringify(spec, (_, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
}
