// A request the in-memory index counts (plan 'index'): the count from the index, the page from PostgreSQL
// or, when the planner says the index chooses it better, as ids ranked or walked in memory and then read.
import { Db } from '../../../../shared/db';
import type { UserIndex } from '../../index/userIndex';
import type { IndexQuery } from '../../index/query';
import { ListedRow, pageOfIds } from './statements';
import type { ListRequest } from '../parse/request';
import { indexQuery } from '../parse/indexQuery';
import { numericOrder, pageAfterCount, Plan, selectiveBelow } from '../plan/planner';
import { sqlPage } from './fromSql';

export async function fromIndex(db: Db, schema: string, req: ListRequest, p: Plan, index: UserIndex): Promise<{ count: number; rows: ListedRow[] }> {
  const q = req.indexQuery as IndexQuery;
  const order = numericOrder(req);
  if (p.page !== 'after-count' || order === null) return { count: index.count(q), rows: await sqlPage(db, schema, req, false) };
  const end = req.page.offset + req.page.limit;
  const total = index.count(indexQuery(req.audience, []) as IndexQuery);
  const { count, ids } = index.countAndTop(q, order, end, selectiveBelow(total));
  const page = pageAfterCount(req, p, { count, total, ranked: ids !== null, users: index.users });
  let chosen: string[];
  if (page.by === 'sql') return { count, rows: await sqlPage(db, schema, req, page.filterFirst) };
  else if (page.by === 'index-walk') chosen = index.walk(q, order, end, page.budget) ?? index.top(q, order, end);
  else chosen = ids ?? index.top(q, order, end);
  const wanted = chosen.slice(req.page.offset);
  if (wanted.length === 0) return { count, rows: [] };
  const s = pageOfIds(schema, req, wanted);
  return { count, rows: (await db.raw<{ rows: ListedRow[] }>(s.sql, s.bindings)).rows };
}
