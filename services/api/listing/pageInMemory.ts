// A page chosen in memory: when a request's filters all have their in-memory form (facetSpec.ts) and include
// a date among others or a search, ordered by timestamps and id only, and few users match, the in-memory flags,
// timestamps and texts give the page's ids: walked from the start of the ordering (orderWalk.ts) or ranked in
// the pass that counts (a few milliseconds for a million), where PostgreSQL would read every match from an
// index and sort them, or walk the ordering's index past most users to find the few.
import { Db } from '../../../shared/db';
import { audienceOnly, FacetSpec, TIMESTAMPS } from './facetSpec';
import type { UserFacets } from './facets';
import { ListedRow, ListRequest, pageOfIds, walksTheWrongEnd } from './listQuery';
import { NumericTerm } from './topIds';

/** Pages ending past this are left to PostgreSQL (the in-memory selection keeps offset + limit ids). */
const DEPTH_MAX = 1_000;
/** Above this share of the audience, the matches are dense enough for PostgreSQL's index walk. */
const SELECTIVE = 0.05;

/** The ordering as terms of numbers, or null when a term is text. */
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
 * Whether the in-memory flags could choose this request's page (they are then worth bringing up to date): a
 * date filter among others (PostgreSQL walks the ordering's index past most users), a date filter alone
 * whose matches lie at the far end of the ordering's index (PostgreSQL reads them all from the filter's index
 * and sorts them: 8-12 ms for 36,700 users; timeOrder.ts gives them as one slice), or a search (PostgreSQL
 * reads a rare combination of common terms through the trigram lists of most users: 25 ms for `ada,hopper`).
 */
export function mayPageInMemory(req: ListRequest): boolean {
  if (req.facets === null || req.online !== null || numericOrder(req) === null) return false;
  return req.dateFilter === null ? req.facets.times.length > 0 || req.facets.search.length > 0 : walksTheWrongEnd(req);
}

/** The count of a request the in-memory flags hold, and its page when that is best chosen in memory (else null). */
export async function pageInMemory(db: Db, schema: string, req: ListRequest, spec: FacetSpec, facets: UserFacets): Promise<{ count: number; rows: ListedRow[] | null }> {
  const order = numericOrder(req);
  const end = req.page.offset + req.page.limit;
  if (order === null || !mayPageInMemory(req) || end > DEPTH_MAX) return { count: facets.count(spec), rows: null };
  const { count, ids } = facets.countAndTop(spec, order, end, SELECTIVE * facets.count(audienceOnly(req.audience)));
  if (ids === null) return { count, rows: null };
  const page = ids.slice(req.page.offset).map(String);
  if (page.length === 0) return { count, rows: [] };
  const s = pageOfIds(schema, req, page);
  return { count, rows: (await db.raw<{ rows: ListedRow[] }>(s.sql, s.bindings)).rows };
}
