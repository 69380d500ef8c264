// How a parsed request is answered: which source counts it (the counters, the in-memory index, PostgreSQL)
// and how its page is found. Pure functions of the request and of what the sources said; every threshold of
// the choice is here, named once (tests/unit/planner.test.ts). The executors (../execute/) only carry plans out.
import type { ListRequest } from '../parse/request';
import type { NumericTerm } from '../../index/query';
import { TIMESTAMPS } from '../../index/query';

export const THRESHOLDS = {
  /** In-memory pages end at most here: the index ranks offset + limit ids. */
  indexDepthMax: 1_000,
  /** Up to this many matching rows, a date-filtered page is read filter-first (a bounded cost). */
  filterFirstMax: 100_000,
  /** Offsets from here on are placed by the counters; a smaller one costs PostgreSQL less than the lookup. */
  deepOffset: 10_000,
  /** Rows PostgreSQL walks for an is_online page, at most, before the online ids are sent as one array. */
  onlineWalkMax: 20_000,
  /** A groups_in clause of more distinct ids than any directory has groups is left to PostgreSQL (a kept count would tax every write). */
  indexGroupsMax: 1_000,
} as const;

/** How the count is found. `sql`: the count statement, from the counters when the request has them (countFrom). */
export type CountPlan = 'sql' | 'index' | 'index-online' | 'sql-online';

export type PagePlan =
  | Readonly<{ by: 'sql'; filterFirst: boolean }>
  | Readonly<{ by: 'counters-offset' }>
  | Readonly<{ by: 'index' }>
  | Readonly<{ by: 'online-walk'; step: number }>
  | Readonly<{ by: 'sql-online'; among: 'online' | 'matching-online' }>
  | Readonly<{ by: 'empty' }>;

/** The page now (found beside the count), or once the count is known (pageAfterCount). */
export type Plan = Readonly<{ count: CountPlan; page: PagePlan | 'after-count' }>;

/** Whether the index should be asked (and so brought up to date) for this request. */
export function wantsIndex(req: ListRequest): boolean {
  const q = req.indexQuery;
  if (q === null || q.groups.some((clause) => clause.length > THRESHOLDS.indexGroupsMax)) return false;
  return req.online !== null || req.countFrom === null || pagesInMemory(req);
}

/** `indexReady`: the index is loaded and holds the request's query (UserIndex.holds). */
export function plan(req: ListRequest, indexReady: boolean): Plan {
  const index = indexReady && wantsIndex(req);
  if (req.online !== null) return index ? { count: 'index-online', page: 'after-count' } : { count: 'sql-online', page: { by: 'sql-online', among: 'online' } };
  if (index && pagesInMemory(req) && req.page.offset + req.page.limit <= THRESHOLDS.indexDepthMax) return { count: 'index', page: 'after-count' };
  if (index && req.countFrom === null) return { count: 'index', page: { by: 'sql', filterFirst: false } };
  if (findsPageByCounters(req)) return { count: 'sql', page: { by: 'counters-offset' } };
  if (req.countFrom !== null && walksTheWrongEnd(req)) return { count: 'sql', page: 'after-count' };
  return { count: 'sql', page: { by: 'sql', filterFirst: false } };
}

/** What the count step learnt: the count, and for is_online the users matching the other filters, online or not. */
export type Counted = Readonly<{ count: number; total?: number }>;

export function pageAfterCount(req: ListRequest, p: Plan, c: Counted): PagePlan {
  const { offset, limit } = req.page;
  if (p.count === 'index-online') {
    if (offset >= c.count || limit === 0) return { by: 'empty' };
    // The walk meets the matching rows in order; the counts say how many it crosses to fill the page.
    const walk = Math.ceil(((offset + limit) * (c.total ?? 0)) / c.count);
    if (walk <= THRESHOLDS.onlineWalkMax) return { by: 'online-walk', step: Math.min(THRESHOLDS.onlineWalkMax, Math.ceil(walk * 1.25) + 50) };
    return { by: 'sql-online', among: req.online === true ? 'matching-online' : 'online' };
  }
  if (p.count === 'index') return offset >= c.count || limit === 0 ? { by: 'empty' } : { by: 'index' };
  return { by: 'sql', filterFirst: c.count <= THRESHOLDS.filterFirstMax };
}

/** The ordering as terms the index holds, or null when a term is text (username, email, gender). */
export function numericOrder(req: ListRequest): NumericTerm[] | null {
  const terms: NumericTerm[] = [];
  for (const t of req.ordering) {
    const col = (TIMESTAMPS as readonly string[]).indexOf(t.field);
    if (t.field !== 'id' && col < 0) return null;
    terms.push({ column: t.field === 'id' ? 'id' : col, descending: t.descending });
  }
  return terms;
}

/**
 * Whether the index should choose this request's page: ordered by numbers it holds, and either counted by it
 * (no counter has the combination: PostgreSQL would walk the ordering's index past every user the filters
 * turn away, or read a search's trigram lists) or a date filter alone whose matches lie at the far end of the
 * ordering's index (PostgreSQL reads and sorts them: 8-12 ms for 36,700 users).
 */
export function pagesInMemory(req: ListRequest): boolean {
  if (req.indexQuery === null || req.online !== null || numericOrder(req) === null) return false;
  return req.countFrom === null || walksTheWrongEnd(req);
}

const TIME_ORDERED = new Set(['id', 'created_at', 'updated_at', 'last_login']);

/**
 * Timestamps correlate with each other and with the order users arrived in (so does id): a date filter on one
 * column keeps rows at one end of another column's ordering index, and walking it from the other end crosses
 * almost all of it before a page fills (PostgreSQL's estimates assume no correlation).
 */
export function walksTheWrongEnd(req: ListRequest): boolean {
  const first = req.ordering[0];
  const f = req.dateFilter;
  if (f === null || first === undefined || !TIME_ORDERED.has(first.field) || first.field === f.column) return false;
  return f.bound === 'day' || (f.bound === 'to') === first.descending;
}

/** Fields never null, counted by day (timestamps) or by username prefix (projections/users/counts.ts). */
const COUNTED_ORDERS = new Set(['created_at', 'updated_at', 'username']);

/** Whether the counters can place the page: no filter at all, a deep offset, ordered first by a counted field. */
export function findsPageByCounters(req: ListRequest): boolean {
  const first = req.ordering[0];
  return req.conditions.length === 0 && req.online === null && req.page.offset >= THRESHOLDS.deepOffset
    && first !== undefined && COUNTED_ORDERS.has(first.field);
}
