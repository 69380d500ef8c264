import { Db } from '../../shared/db';
import { table } from '../readModel';
import { UserRow, USER_COLUMNS } from './userRow';

const columnList = USER_COLUMNS.map(([c]) => c).join(', ');

export async function loadUsers(db: Db, schema: string, ids: string[]): Promise<Map<string, UserRow>> {
  if (ids.length === 0) return new Map();
  const { rows } = await db.raw<{ rows: UserRow[] }>(
    `select ${columnList} from ${table(schema, 'users')} where id = any(?::bigint[])`,
    [ids],
  );
  return new Map(rows.map((r) => [r.id, r]));
}

/** Writes whole rows in one statement, whatever their number. */
export async function upsertUsers(db: Db, schema: string, rows: UserRow[]): Promise<void> {
  if (rows.length === 0) return;
  const recordType = USER_COLUMNS.map(([c, t]) => `${c} ${t}`).join(', ');
  const updates = USER_COLUMNS.filter(([c]) => c !== 'id').map(([c]) => `${c} = excluded.${c}`).join(', ');
  await db.raw(
    `insert into ${table(schema, 'users')} (${columnList})
     select ${columnList} from jsonb_to_recordset(?::jsonb) as x(${recordType})
     on conflict (id) do update set ${updates}`,
    [JSON.stringify(rows)],
  );
}
