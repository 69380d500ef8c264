// The requests of bench:throughput --mixed: questions nobody hand-picked, drawn by the differential tests' own
// arbitrary (tests/helpers/requestArbitrary.ts: every parameter of both endpoints, malformed values included)
// over what the bench's history holds; each asked once in the whole run, four in five requests, and the two
// default pages the fifth.
import fc from 'fast-check';
import { queryString, RequestWorld } from '../../tests/helpers/requestArbitrary';
import type { SeedEvent } from '../../services/seed/history';

export const DEFAULT_PAGES = ['/api/customers', '/api/users/'] as const;

/** What the seeded history holds, for the arbitrary to draw values that match as well as miss. */
export function worldOf(events: readonly SeedEvent[]): RequestWorld {
  const userIds = new Set<bigint>();
  const groupIds = new Set<bigint>();
  const dates = new Set<string>();
  const words = new Set<string>();
  for (const e of events) {
    const [kind, id] = e.subject.split(':') as [string, string];
    (kind === 'group' ? groupIds : userIds).add(BigInt(id));
    dates.add(String(e.value.time).slice(0, 10));
    const data = e.value.data as Record<string, unknown>;
    for (const key of ['username', 'email', 'first_name', 'last_name', 'mobile_number']) {
      if (typeof data[key] === 'string' && data[key] !== '') words.add(data[key]);
    }
  }
  // A sample keeps fast-check's constantFrom small; thousands of words add nothing the arbitrary's slicing lacks.
  const some = <T>(xs: Set<T>, n: number) => [...xs].filter((_, i) => i % Math.max(1, Math.floor(xs.size / n)) === 0);
  return { userIds: some(userIds, 500), groupIds: [...groupIds], dates: some(dates, 200), words: some(words, 500) };
}

/** A request's path (with its query string) and the header that authenticates it. */
export type Asked = { path: string; token: string };

/**
 * Paths never handed out before by this source (the default pages excluded), made in batches from the arbitrary
 * with a seed of their own each, so a run is reproducible. Customers' requests carry a staff token (round robin
 * over `staffTokens`), users' the admin's: the roles api.md asks of each endpoint.
 */
export class RequestSource {
  private readonly seen = new Set<string>(DEFAULT_PAGES);
  private readonly fresh: string[] = [];
  private readonly arbitrary: fc.Arbitrary<string>;
  private seed = 1;
  /** Requests handed out, and of those paths never asked before. */
  asked = 0;
  newAsked = 0;

  constructor(world: RequestWorld, private readonly staffTokens: readonly string[], private readonly adminToken: string) {
    // Customers weigh more: its filters are the richer table, and it is the endpoint clients list most.
    const endpoint = fc.oneof({ weight: 3, arbitrary: fc.constant(DEFAULT_PAGES[0]) }, { weight: 1, arbitrary: fc.constant(DEFAULT_PAGES[1]) });
    this.arbitrary = fc.tuple(endpoint, queryString(world)).map(([e, qs]) => (qs === '' ? e : `${e}?${qs}`));
  }

  /** Makes at least `n` new paths ready (so that the load generator seldom waits for fast-check). */
  prepare(n: number): void {
    while (this.fresh.length < n) {
      for (const p of fc.sample(this.arbitrary, { numRuns: 1_000, seed: this.seed++ })) {
        if (!this.seen.has(p)) {
          this.seen.add(p);
          this.fresh.push(p);
        }
      }
    }
  }

  get distinct(): number {
    return this.seen.size;
  }

  /** Every fifth request a default page (customers and users in turn), the others a path never asked before. */
  next(): Asked {
    const i = this.asked++;
    let path: string;
    if (i % 5 === 4) path = DEFAULT_PAGES[Math.floor(i / 5) % 2] as string;
    else {
      if (this.fresh.length === 0) this.prepare(1);
      path = this.fresh.pop() as string;
      this.newAsked++;
    }
    return { path, token: this.tokenFor(path, i) };
  }

  tokenFor(path: string, i: number): string {
    return path.startsWith(DEFAULT_PAGES[1]) ? this.adminToken : (this.staffTokens[i % this.staffTokens.length] as string);
  }
}
