// A page of a request that filters on is_online. The online set lives in Redis (a copy in this process,
// shared/activity/onlineMirror.ts), not in PostgreSQL, so the two are joined here:
// - the count: the in-memory flags (facets.ts) tested for each online user, about a millisecond for 100,000,
//   where PostgreSQL needs 250 ms to join that many ids;
// - the page: PostgreSQL walks the ordering index with the other filters and this process keeps the rows whose
//   online status is the one asked for, in steps, until the page is full. The counts say how dense those rows
//   are, so a step is sized to fill the page at once; a page that would need a long walk (a deep offset, a
//   rare combination) instead sends the online ids to PostgreSQL as one array.
import { Db } from '../../../shared/db';
import { Condition, idsInOrder, ListedRow, ListRequest, ListSources, listStatements, pageOfIds, Statement } from './listQuery';

/** Rows walked, at most, before sending the online ids to PostgreSQL instead. */
const WALK_MAX = 20_000;

export async function listOnline(db: Db, schema: string, req: ListRequest, src: ListSources): Promise<{ count: number; rows: ListedRow[] }> {
  const online = src.online;
  if (online === null) throw new Error('is_online needs the online set');
  const wanted = req.online === true;
  if (req.facets === null || src.facets === null || !src.facets.holds(req.facets)) {
    // A filter or term with no in-memory form, or flags still loading: PostgreSQL counts with the ids as an array.
    const { count, page } = listStatements(schema, withIds(req, wanted, online.literal()));
    const [counted, rows] = await Promise.all([db.raw<{ rows: { count: string }[] }>(count.sql, count.bindings), db.raw<{ rows: ListedRow[] }>(page.sql, page.bindings)]);
    return { count: Number(counted.rows[0]?.count ?? 0), rows: rows.rows };
  }
  const facets = src.facets;
  const spec = req.facets;
  const onlineMatching = facets.countAmong(spec, online);
  const matching = facets.count(spec);
  const count = wanted ? onlineMatching : matching - onlineMatching;
  const { offset, limit } = req.page;
  if (offset >= count || limit === 0) return { count, rows: [] };
  const walk = Math.ceil(((offset + limit) * matching) / count);
  if (walk <= WALK_MAX) {
    const ids = await walkInOrder(db, schema, req, (id) => online.has(id) === wanted, Math.min(WALK_MAX, Math.ceil(walk * 1.25) + 50));
    if (ids !== null) return { count, rows: ids.length === 0 ? [] : await rowsOf(db, pageOfIds(schema, req, ids)) };
  }
  const { page } = listStatements(schema, withIds(req, wanted, wanted ? `{${facets.among(spec, online).join(',')}}` : online.literal()));
  return { count, rows: await rowsOf(db, page) };
}

/**
 * The page's ids: the rows matching the filters, in order, walked `step` at a time, keeping those `keep`
 * accepts. Null when the walk passes WALK_MAX (the read model changed under the estimate).
 */
async function walkInOrder(db: Db, schema: string, req: ListRequest, keep: (id: string) => boolean, step: number): Promise<string[] | null> {
  const need = req.page.offset + req.page.limit;
  const kept: string[] = [];
  for (let walked = 0; kept.length < need; walked += step) {
    if (walked >= WALK_MAX) return null;
    const s = idsInOrder(schema, req, step, walked);
    const { rows } = await db.raw<{ rows: Array<{ id: string }> }>(s.sql, s.bindings);
    for (const { id } of rows) if (keep(id) && kept.push(id) >= need) break;
    if (rows.length < step) break;
  }
  return kept.slice(req.page.offset, need);
}

function withIds(req: ListRequest, wanted: boolean, ids: string): ListRequest {
  const condition: Condition = ids === '{}'
    ? { sql: wanted ? 'false' : 'true', bindings: [] }
    : { sql: wanted ? 'u.id = any(?::bigint[])' : 'not (u.id = any(?::bigint[]))', bindings: [ids] };
  return { ...req, countFrom: null, conditions: [...req.conditions, condition] };
}

async function rowsOf(db: Db, s: Statement): Promise<ListedRow[]> {
  return (await db.raw<{ rows: ListedRow[] }>(s.sql, s.bindings)).rows;
}
