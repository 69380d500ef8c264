// How the index (userIndex.ts) is read from PostgreSQL, in one snapshot with the offsets it reflects, and
// brought up to date through the projector's change log (projections/users/changes.ts).
import { Knex } from 'knex';
import type { PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { table } from '../../../projections/readModel';
import { readCopyRows, readId, readInt, readText, readTimestamp } from './copyRows';
import { UserIndex } from './userIndex';
import type { TextBytes, UserRow } from './columns';
import { FlagsSql, GroupKey, groupKey, HELD_CHARACTERS, TIMESTAMPS } from './query';

/**
 * Applying a change tests the user against every kept count: past this many users (after an idle spell, a
 * burst) it would hold the event loop too long, so the index is loaded again in the background instead.
 */
const REFRESH_MAX_USERS = 5_000;

type ChangeRow = {
  topic: string; partition: number; seen: string; at: string;
  from_offset: string | null; next_offset: string | null; user_ids: string[] | null; group_ids: string[] | null;
};
type GroupRow = { id: string; deleted: boolean };
/** A user as the refresh reads it through pg: group ids as text. */
type SqlUserRow = Omit<UserRow, 'g'> & { g: string[] | null };
export type LoadOptions = Readonly<{ search: boolean; flags: FlagsSql }>;

/**
 * Reads every user and the offsets they reflect at one moment (one repeatable-read transaction), the users as
 * one binary COPY (copyRows.ts), then builds the bitmaps and orders; null if a timestamp cannot be held
 * exactly (columns.ts). With `search` false, no text is held and searches are left to PostgreSQL.
 */
export async function loadIndex(db: Knex, schema: string, opts: LoadOptions): Promise<UserIndex | null> {
  const index = await readIndex(db, schema, opts);
  await index?.build();
  return index;
}

/** The load's first part: the users read, nothing built (bench:index times the parts apart). */
export async function readIndex(db: Knex, schema: string, opts: LoadOptions): Promise<UserIndex | null> {
  const conn = (await db.client.acquireConnection()) as PoolClient;
  let index: UserIndex | null;
  try {
    await conn.query('begin isolation level repeatable read read only');
    try {
      index = await readAll(db, conn, schema, opts);
      await conn.query('commit');
    } catch (err) {
      await conn.query('rollback').catch((rollbackErr: unknown) => {
        throw new AggregateError([err, rollbackErr], 'the index load failed, and so did its rollback');
      });
      throw err;
    }
  } finally {
    await db.client.releaseConnection(conn);
  }
  return index;
}

async function readAll(db: Knex, conn: PoolClient, schema: string, opts: LoadOptions): Promise<UserIndex | null> {
  // Ten million users take longer to read than the 30 s a request's statement may (shared/db.ts).
  await conn.query('set local statement_timeout = 0');
  const { rows: offsets } = await conn.query<{ topic: string; partition: number; next_offset: string }>(`select topic, partition, next_offset from ${table(schema, 'checkpoints')}`);
  const searchable = opts.search && (await conn.query<{ u: string }>('select upper($1) as u', [HELD_CHARACTERS])).rows[0]?.u === HELD_CHARACTERS.toUpperCase();
  const index = new UserIndex(schema, new Map(offsets.map((o) => [key(o), BigInt(o.next_offset)])), searchable);
  index.setGroups((await conn.query<GroupRow>(`select id, deleted from ${table(schema, 'groups')}`)).rows);
  // PostgreSQL's estimate of the rows (kept by autovacuum and ANALYZE): the arrays are made once, a little larger.
  const { rows: [estimate] } = await conn.query<{ n: number }>('select greatest(reltuples, 0)::float8 as n from pg_class where oid = to_regclass($1)', [table(schema, 'users')]);
  index.reserve(Math.ceil((estimate?.n ?? 0) * 1.02) + 1024);
  let usable = true;
  const groupsOf = groupLists();
  // One row and one view of its text, written over for every user: index.set copies what it keeps.
  const text: TextBytes = { bytes: EMPTY, from: 0, length: 0 };
  const row: UserRow = { id: 0, f: 0, g: null, t0: null, t1: null, t2: null, s: text };
  await readCopyRows(conn.query(copyTo(copyStatement(db, schema, opts.flags, searchable))), 7, (f) => {
    row.id = readId(f, 0);
    row.f = readInt(f, 1);
    row.g = groupsOf(readText(f, 2));
    row.t0 = readTimestamp(f, 3);
    row.t1 = readTimestamp(f, 4);
    row.t2 = readTimestamp(f, 5);
    text.bytes = f.buf;
    text.from = f.start[6] as number;
    text.length = Math.max(0, f.length[6] as number);
    if (usable && !index.set(row)) usable = false;
  });
  return usable ? index : null;
}

/** The group keys of a COPY row's ids text ('' for none), one list per distinct text: users of the same groups share it. */
function groupLists(): (text: string) => readonly GroupKey[] | null {
  const lists = new Map<string, readonly GroupKey[]>();
  return (text) => {
    if (text === '') return null;
    let list = lists.get(text);
    if (list === undefined) lists.set(text, (list = text.split(',').map(groupKey)));
    return list;
  };
}

/** The load's COPY of every user, in id order. COPY takes no parameters: the flags' bindings (booleans) are written into it by knex. */
export function copyStatement(db: Knex, schema: string, flags: FlagsSql, searchable: boolean): string {
  const all = usersSql(schema, searchable, flags, '? order by u.id', true, true);
  return `copy (${db.raw(all.sql, all.bindings).toQuery()}) to stdout (format binary)`;
}

const EMPTY = new Uint8Array(0);

/**
 * Applies what the projector committed since the index's offsets. False when the change log no longer reaches
 * back to them or holds more than a quick refresh: the caller loads the index again.
 */
export async function refreshIndex(db: Knex, index: UserIndex, flags: FlagsSql): Promise<boolean> {
  const changes = await changesSince(db, index);
  if (changes === null) return false;
  if (changes.position === null) return true;
  if (changes.users.size > REFRESH_MAX_USERS) return false;
  // Only what the batches wrote is read again; a batch of group events alone reads no user.
  const users = usersSql(index.schema, index.searchable, flags, 'u.id = any(?::bigint[])', [...changes.users]);
  const [userRows, groupRows] = await Promise.all([
    changes.users.size === 0 ? [] : db.raw<{ rows: SqlUserRow[] }>(users.sql, users.bindings).then((r) => r.rows),
    changes.groups.size === 0 ? [] : db.raw<{ rows: GroupRow[] }>(
      `select id, deleted from ${table(index.schema, 'groups')} where id = any(?::bigint[])`, [[...changes.groups]],
    ).then((r) => r.rows),
  ]);
  index.setGroups(groupRows);
  for (const u of userRows) if (!index.set({ ...u, g: u.g?.map(groupKey) ?? null })) return false;
  index.position = changes.position;
  return true;
}

type Changes = { position: Map<string, bigint> | null; users: Set<string>; groups: Set<string> };

/** The users and groups written since the index's offsets, and the offsets after them; null when the log no longer reaches back. */
async function changesSince(db: Knex, index: UserIndex): Promise<Changes | null> {
  const seen = [...index.position];
  const { rows } = await db.raw<{ rows: ChangeRow[] }>(
    `with seen(k, o) as (select * from unnest(?::text[], ?::bigint[])),
     moved as (select k.topic, k.partition, k.next_offset as at, coalesce(s.o, 0) as seen
               from ${table(index.schema, 'checkpoints')} k left join seen s on s.k = k.topic || '/' || k.partition
               where k.next_offset > coalesce(s.o, 0))
     select m.topic, m.partition, m.seen, m.at, c.from_offset, c.next_offset, c.user_ids, c.group_ids
     from moved m left join ${table(index.schema, 'user_changes')} c
       on c.topic = m.topic and c.partition = m.partition and c.next_offset > m.seen
     order by m.topic, m.partition, c.next_offset`,
    [seen.map(([k]) => k), seen.map(([, o]) => o.toString())],
  );
  const changes: Changes = { position: null, users: new Set(), groups: new Set() };
  if (rows.length === 0) return changes;
  const position = new Map(index.position);
  for (const r of rows) {
    const expected = position.get(key(r)) ?? BigInt(r.seen);
    if (r.from_offset === null || BigInt(r.from_offset) !== expected) return null;
    position.set(key(r), BigInt(r.next_offset as string));
    for (const id of r.user_ids ?? []) changes.users.add(id);
    for (const id of r.group_ids ?? []) changes.groups.add(id);
  }
  if (rows.some((r) => position.get(key(r)) !== BigInt(r.at))) return null;
  return { ...changes, position };
}

/**
 * The users matching `where` (one binding) as UserRows; the search text only when the index holds it. For the
 * load's binary COPY (`forCopy`), the flags as int4, the groups as one text of ids and the timestamps raw.
 */
function usersSql(schema: string, searchable: boolean, flags: FlagsSql, where: string, binding: Knex.Value, forCopy = false): { sql: string; bindings: Knex.Value[] } {
  // The COPY reads timestamps raw (copyRows.ts's readTimestamp); rows through pg as epoch µs.
  const times = TIMESTAMPS.map((c, i) => (forCopy ? `u.${c} as t${i}` : `(extract(epoch from u.${c}) * 1000000)::float8 as t${i}`)).join(', ');
  const groups = forCopy ? "coalesce(array_to_string(u.group_ids, ','), '')" : 'u.group_ids';
  return {
    sql: `select u.id, ${flags.sql}::int4 as f, ${groups} as g, ${times}, ${searchable ? 'u.search_text' : "''::text"} as s
          from ${table(schema, 'users')} u where ${where}`,
    bindings: [...flags.bindings, binding],
  };
}

const key = (o: { topic: string; partition: number }) => `${o.topic}/${o.partition}`;
