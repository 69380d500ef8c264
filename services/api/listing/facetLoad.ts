// How the in-memory copy of the users (facets.ts) is read from PostgreSQL, in one snapshot with the offsets it
// reflects, and brought up to date through the projector's change log (projections/users/changes.ts).
import { Knex } from 'knex';
import { table } from '../../../projections/readModel';
import { facetSql, HELD_CHARACTERS, timestampSql } from './facetSpec';
import { UserFacets, UserFlags } from './facets';

const BATCH = 250_000;
/** The flags' SELECT expression: the same for every read, built once. */
const flags = facetSql();

type ChangeRow = {
  topic: string; partition: number; seen: string; at: string;
  from_offset: string | null; next_offset: string | null; user_ids: string[] | null; group_ids: string[] | null;
};
type GroupRow = { id: string; deleted: boolean };

/**
 * Reads every user and the offsets they reflect at one moment, then indexes them; null if an id is past 2^53
 * (not exact as a number). With `search` false, no text is held and searches are left to PostgreSQL.
 */
export async function loadFacets(db: Knex, schema: string, opts: { search: boolean }): Promise<UserFacets | null> {
  const facets = await db.transaction(async (trx) => {
    const { rows: offsets } = await trx.raw<{ rows: Array<{ topic: string; partition: number; next_offset: string }> }>(
      `select topic, partition, next_offset from ${table(schema, 'checkpoints')}`,
    );
    const searchable = opts.search && (await trx.raw<{ rows: [{ u: string }] }>('select upper(?) as u', [HELD_CHARACTERS])).rows[0].u === HELD_CHARACTERS.toUpperCase();
    const loaded = new UserFacets(schema, new Map(offsets.map((o) => [key(o), BigInt(o.next_offset)])), searchable);
    const { rows: groups } = await trx.raw<{ rows: GroupRow[] }>(`select id, deleted from ${table(schema, 'groups')}`);
    if (!loaded.setGroups(groups)) return null;
    for (let after = '-9223372036854775808'; ;) {
      const s = usersSql(loaded, 'u.id > ?::bigint order by u.id limit ' + BATCH, after);
      const { rows } = await trx.raw<{ rows: UserFlags[] }>(s.sql, s.bindings);
      for (let i = 0; i < rows.length; i++) {
        if (!loaded.set(rows[i] as UserFlags)) return null;
        // Requests are served meanwhile (counted by PostgreSQL): a batch is not held in one go.
        if (i % 20_000 === 19_999) await new Promise(setImmediate);
      }
      loaded.loadedRows += rows.length;
      if (rows.length < BATCH) return loaded;
      after = (rows[rows.length - 1] as UserFlags).id;
    }
  }, { isolationLevel: 'repeatable read', readOnly: true });
  await facets?.index();
  return facets;
}

/**
 * Applies what the projector committed since the copy's offsets. False when the change log no longer reaches
 * back to them: the caller loads the copy again.
 */
export async function refreshFacets(db: Knex, facets: UserFacets): Promise<boolean> {
  const seen = [...facets.position];
  const { rows } = await db.raw<{ rows: ChangeRow[] }>(
    `with seen(k, o) as (select * from unnest(?::text[], ?::bigint[])),
     moved as (select k.topic, k.partition, k.next_offset as at, coalesce(s.o, 0) as seen
               from ${table(facets.schema, 'checkpoints')} k left join seen s on s.k = k.topic || '/' || k.partition
               where k.next_offset > coalesce(s.o, 0))
     select m.topic, m.partition, m.seen, m.at, c.from_offset, c.next_offset, c.user_ids, c.group_ids
     from moved m left join ${table(facets.schema, 'user_changes')} c
       on c.topic = m.topic and c.partition = m.partition and c.next_offset > m.seen
     order by m.topic, m.partition, c.next_offset`,
    [seen.map(([k]) => k), seen.map(([, o]) => o.toString())],
  );
  if (rows.length === 0) return true;
  const changed = new Set<string>();
  const changedGroups = new Set<string>();
  const position = new Map(facets.position);
  for (const r of rows) {
    const expected = position.get(key(r)) ?? BigInt(r.seen);
    if (r.from_offset === null || BigInt(r.from_offset) !== expected) return false;
    position.set(key(r), BigInt(r.next_offset as string));
    for (const id of r.user_ids ?? []) changed.add(id);
    for (const id of r.group_ids ?? []) changedGroups.add(id);
  }
  if (rows.some((r) => position.get(key(r)) !== BigInt(r.at))) return false;
  // Applying a change tests the user against every kept count: past this many (after an idle spell, a burst)
  // it would hold the event loop too long on one request, so the copy is loaded again in the background.
  if (changed.size > REFRESH_MAX_USERS) return false;
  // Only what the batches wrote is read again; a batch of group events alone reads no user.
  const users = usersSql(facets, 'u.id = any(?::bigint[])', [...changed]);
  const [userRows, groupRows] = await Promise.all([
    changed.size === 0 ? [] : db.raw<{ rows: UserFlags[] }>(users.sql, users.bindings).then((r) => r.rows),
    changedGroups.size === 0 ? [] : db.raw<{ rows: GroupRow[] }>(
      `select id, deleted from ${table(facets.schema, 'groups')} where id = any(?::bigint[])`, [[...changedGroups]],
    ).then((r) => r.rows),
  ]);
  if (!facets.setGroups(groupRows)) return false;
  for (const u of userRows) if (!facets.set(u)) return false;
  facets.position = position;
  return true;
}

/** The users matching `where` (one binding) as UserFlags; the search text only when the copy holds it. */
function usersSql(facets: UserFacets, where: string, binding: Knex.Value): { sql: string; bindings: Knex.Value[] } {
  return {
    sql: `select u.id, ${flags.sql} as f, u.group_ids as g, ${timestampSql()}, ${facets.searchable ? 'u.search_text' : "''"} as s
          from ${table(facets.schema, 'users')} u where ${where}`,
    bindings: [...flags.bindings, binding],
  };
}

const REFRESH_MAX_USERS = 5_000;

const key = (o: { topic: string; partition: number }) => `${o.topic}/${o.partition}`;
