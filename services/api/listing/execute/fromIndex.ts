// A request the in-memory index counts (plan 'index'): the count from the index, the page from PostgreSQL
// or, when the planner says the index chooses it, as ids chosen in memory and then read by id.
import { Db } from '../../../../shared/db';
import type { UserIndex } from '../../index/userIndex';
import type { IndexQuery } from '../../index/query';
import { ListedRow, pageOfIds } from './statements';
import type { ListRequest } from '../parse/request';
import { numericOrder, pageAfterCount, Plan } from '../plan/planner';
import { sqlPage } from './fromSql';

export async function fromIndex(db: Db, schema: string, req: ListRequest, p: Plan, index: UserIndex): Promise<{ count: number; rows: ListedRow[] }> {
  const answer = await index.ask(req.indexQuery as IndexQuery);
  const { count } = answer;
  const order = numericOrder(req);
  if (p.page !== 'after-count' || order === null) return { count, rows: await sqlPage(db, schema, req, false) };
  const end = req.page.offset + req.page.limit;
  const page = pageAfterCount(req, p, { count });
  if (page.by === 'empty') return { count, rows: [] };
  if (page.by === 'sql') return { count, rows: await sqlPage(db, schema, req, page.filterFirst) };
  const chosen = answer.top(order, end);
  const wanted = chosen.slice(req.page.offset);
  if (wanted.length === 0) return { count, rows: [] };
  const s = pageOfIds(schema, req, wanted);
  return { count, rows: (await db.raw<{ rows: ListedRow[] }>(s.sql, s.bindings)).rows };
}
