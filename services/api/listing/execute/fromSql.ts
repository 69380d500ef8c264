// A request PostgreSQL counts (plan 'sql'): the count statement (count(*), or the counters when the request
// has them) beside the page; a deep offset placed by the counters (deepOffset.ts); or, for a date filter that
// would walk the ordering's index from the wrong end, the count first, which chooses the page's statement.
import { Db } from '../../../../shared/db';
import { ListedRow, listStatements, Statement } from './statements';
import type { ListRequest } from '../parse/request';
import { pageAfterCount, Plan } from '../plan/planner';
import { pageByCounters } from './deepOffset';

export async function fromSql(db: Db, schema: string, req: ListRequest, p: Plan): Promise<{ count: number; rows: ListedRow[] }> {
  const { count } = listStatements(schema, req);
  if (p.page === 'after-count') {
    const n = await countOf(db, count);
    const page = pageAfterCount(req, p, { count: n });
    return { count: n, rows: await sqlPage(db, schema, req, page.by === 'sql' && page.filterFirst) };
  }
  const [n, rows] = await Promise.all([
    countOf(db, count),
    p.page.by === 'counters-offset'
      ? pageByCounters(db, schema, req).then((r) => r ?? sqlPage(db, schema, req, false))
      : sqlPage(db, schema, req, false),
  ]);
  return { count: n, rows };
}

/** The page statement; `filterFirst`: the filtered rows read first and the top N kept (statements.ts). */
export async function sqlPage(db: Db, schema: string, req: ListRequest, filterFirst: boolean): Promise<ListedRow[]> {
  const { page } = listStatements(schema, req, { selective: filterFirst });
  return (await db.raw<{ rows: ListedRow[] }>(page.sql, page.bindings)).rows;
}

export async function countOf(db: Db, s: Statement): Promise<number> {
  const { rows } = await db.raw<{ rows: Array<{ count: string }> }>(s.sql, s.bindings);
  return Number(rows[0]?.count ?? 0);
}
