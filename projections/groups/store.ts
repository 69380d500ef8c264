import { Db } from '../../shared/db';
import { table } from '../readModel';
import { GroupRow } from './evolve';

export async function loadGroups(db: Db, schema: string, ids: string[]): Promise<Map<string, GroupRow>> {
  if (ids.length === 0) return new Map();
  const { rows } = await db.raw<{ rows: GroupRow[] }>(
    `select id, version, name, permissions, deleted from ${table(schema, 'groups')} where id = any(?::bigint[])`,
    [ids],
  );
  return new Map(rows.map((r) => [r.id, r]));
}

export async function upsertGroups(db: Db, schema: string, rows: GroupRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.raw(
    `insert into ${table(schema, 'groups')} (id, version, name, permissions, deleted)
     select id, version, name, permissions, deleted
     from jsonb_to_recordset(?::jsonb) as x(id bigint, version bigint, name text, permissions integer[], deleted boolean)
     on conflict (id) do update set version = excluded.version, name = excluded.name,
       permissions = excluded.permissions, deleted = excluded.deleted`,
    [JSON.stringify(rows)],
  );
}
