// A request that filters on is_online. The online set lives in Redis (a copy in this process,
// shared/activity/onlineMirror.ts), not in PostgreSQL, so the two are joined here:
// - plan 'index-online': the count from the index, tested for each online user (about a millisecond for
//   100,000, where PostgreSQL needs 250 ms to join that many ids); the page from PostgreSQL walking the
//   ordering's index with the other filters, this process keeping the rows whose online status is the one
//   asked for, in steps sized by the counts; or, for a page that would need a long walk, with the ids as an array;
// - plan 'sql-online' (the index loading, or a query it does not hold): both from PostgreSQL, the online ids as an array.
import { Db } from '../../../../shared/db';
import type { OnlineSnapshot } from '../../../../shared/activity/onlineSnapshot';
import type { UserIndex } from '../../index/userIndex';
import type { IndexQuery } from '../../index/query';
import { idsInOrder, ListedRow, listStatements, pageOfIds } from './statements';
import type { Condition, ListRequest } from '../parse/request';
import { pageAfterCount, Plan, THRESHOLDS } from '../plan/planner';
import { countOf } from './fromSql';

type Listed = { count: number; rows: ListedRow[] };

export async function onlineFromSql(db: Db, schema: string, req: ListRequest, online: OnlineSnapshot): Promise<Listed> {
  const { count, page } = listStatements(schema, withIds(req, online.literal()));
  const [n, rows] = await Promise.all([countOf(db, count), db.raw<{ rows: ListedRow[] }>(page.sql, page.bindings)]);
  return { count: n, rows: rows.rows };
}

export async function onlineFromIndex(db: Db, schema: string, req: ListRequest, p: Plan, index: UserIndex, online: OnlineSnapshot): Promise<Listed> {
  const q = req.indexQuery as IndexQuery;
  const wanted = req.online === true;
  const answer = await index.ask(q);
  const onlineMatching = answer.amongOnline(online, false).count;
  const matching = answer.count;
  const count = wanted ? onlineMatching : matching - onlineMatching;
  const page = pageAfterCount(req, p, { count, total: matching });
  if (page.by === 'empty') return { count, rows: [] };
  if (page.by === 'online-walk') {
    const ids = await walkInOrder(db, schema, req, (id) => online.has(id) === wanted, page.step);
    if (ids !== null) return { count, rows: ids.length === 0 ? [] : await rowsOf(db, schema, req, ids) };
  }
  const among = page.by === 'sql-online' && page.among === 'matching-online' ? `{${answer.amongOnline(online, true).ids.join(',')}}` : online.literal();
  const { page: s } = listStatements(schema, withIds(req, among));
  return { count, rows: (await db.raw<{ rows: ListedRow[] }>(s.sql, s.bindings)).rows };
}

/**
 * The page's ids: the rows matching the filters, in order, walked `step` at a time, keeping those `keep`
 * accepts. Null when the walk passes onlineWalkMax (the read model changed under the estimate).
 */
async function walkInOrder(db: Db, schema: string, req: ListRequest, keep: (id: string) => boolean, step: number): Promise<string[] | null> {
  const need = req.page.offset + req.page.limit;
  const kept: string[] = [];
  for (let walked = 0; kept.length < need; walked += step) {
    if (walked >= THRESHOLDS.onlineWalkMax) return null;
    const s = idsInOrder(schema, req, step, walked);
    const { rows } = await db.raw<{ rows: Array<{ id: string }> }>(s.sql, s.bindings);
    for (const { id } of rows) if (keep(id) && kept.push(id) >= need) break;
    if (rows.length < step) break;
  }
  return kept.slice(req.page.offset, need);
}

/** The request with the online condition: in the ids (is_online=true) or not (false). */
function withIds(req: ListRequest, ids: string): ListRequest {
  const wanted = req.online === true;
  const condition: Condition = ids === '{}'
    ? { sql: wanted ? 'false' : 'true', bindings: [] }
    : { sql: wanted ? 'u.id = any(?::bigint[])' : 'not (u.id = any(?::bigint[]))', bindings: [ids] };
  return { ...req, countFrom: null, conditions: [...req.conditions, condition] };
}

async function rowsOf(db: Db, schema: string, req: ListRequest, ids: readonly string[]): Promise<ListedRow[]> {
  const s = pageOfIds(schema, req, ids);
  return (await db.raw<{ rows: ListedRow[] }>(s.sql, s.bindings)).rows;
}
