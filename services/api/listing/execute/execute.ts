// A parsed request → its count and page: the planner's choice, carried out by the executor of the source
// that counts it.
import { Db } from '../../../../shared/db';
import type { OnlineSnapshot } from '../../../../shared/activity/onlineSnapshot';
import type { UserIndex } from '../../index/userIndex';
import type { ListedRow } from './statements';
import type { ListRequest } from '../parse/request';
import { plan } from '../plan/planner';
import { fromSql } from './fromSql';
import { fromIndex } from './fromIndex';
import { onlineFromIndex, onlineFromSql } from './onlinePage';

/** What a request reads besides PostgreSQL: the online set (when it filters on it) and the index (when loaded). */
export type Sources = Readonly<{ online: OnlineSnapshot | null; index: UserIndex | null }>;

export async function listUsers(db: Db, schema: string, req: ListRequest, src: Sources = { online: null, index: null }): Promise<{ count: number; rows: ListedRow[] }> {
  const q = req.indexQuery;
  const index = src.index !== null && q !== null && src.index.holds(q) ? src.index : null;
  const p = plan(req, index !== null);
  if (p.count === 'index-online' || p.count === 'sql-online') {
    if (src.online === null) throw new Error('is_online needs the online set');
    return p.count === 'sql-online' ? onlineFromSql(db, schema, req, src.online) : onlineFromIndex(db, schema, req, p, index as UserIndex, src.online);
  }
  return p.count === 'index' ? fromIndex(db, schema, req, p, index as UserIndex) : fromSql(db, schema, req, p);
}
