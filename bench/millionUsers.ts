// A read model of N synthetic users for query benchmarks, loaded with COPY (then indexed and analysed)
// into the bench database's serving generation. Realistic shares: 10% staff or admin, 90% with email,
// names from small lists (so a common name matches about a tenth of users), three years of sign-ups.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { Knex } from 'knex';
import { activeGeneration } from '../projections/generations';
import { createReadModel, createUserIndexes, table } from '../projections/readModel';
import { USER_COLUMNS } from '../projections/users/userRow';
import { USERNAME_PREFIX } from '../projections/users/counts';
import { rng } from '../shared/random';

const FIRST = ['Ada', 'Linus', 'Grace', 'Ken', 'Barbara', 'Dennis', 'Margaret', 'Alan', 'Frances', 'Edsger', 'Radia', 'Niklaus'];
const LAST = ['Lovelace', 'Torvalds', 'Hopper', 'Thompson', 'Liskov', 'Ritchie', 'Hamilton', 'Turing', 'Allen', 'Dijkstra', 'Perlman', 'Wirth'];
export const GROUPS = 50;
const START = Date.parse('2023-01-01T00:00:00Z');
const SPAN = 3 * 365 * 86_400_000;

const ts = (ms: number, micros: number) => `${new Date(ms).toISOString().slice(0, 19)}.${String(micros).padStart(6, '0')}+00`;

function* userLines(n: number): Generator<string> {
  const r = rng(2026);
  const chance = (p: number) => r() < p;
  for (let id = 1; id <= n; id++) {
    const first = FIRST[Math.floor(r() * FIRST.length)] as string;
    const last = LAST[Math.floor(r() * LAST.length)] as string;
    const username = `${first}.${last}${id}`.toLowerCase();
    const staff = chance(0.08), admin = chance(0.02);
    const created = START + Math.floor((id / n) * SPAN);
    const updated = created + Math.floor(r() * 30 * 86_400_000);
    const named = chance(0.7);
    const groups = staff || admin ? [1 + Math.floor(r() * GROUPS), 1 + Math.floor(r() * GROUPS)] : chance(0.1) ? [1 + Math.floor(r() * GROUPS)] : [];
    const cols = [
      id, 1, username,
      chance(0.9) ? `${username}@example.com` : '\\N',
      chance(0.6) ? `+1555${String(id).padStart(7, '0')}` : '\\N',
      named ? first : '\\N', named ? last : '\\N',
      chance(0.8) ? ['male', 'female', 'other'][Math.floor(r() * 3)] : '\\N',
      chance(0.3) ? `https://cdn.example.com/a/${id}.png` : '\\N',
      id > 10 && chance(0.2) ? 1 + Math.floor(r() * (id - 1)) : '\\N',
      chance(0.2) ? `INV${id}` : '\\N',
      chance(0.95) ? 't' : 'f', staff ? 't' : 'f', admin ? 't' : 'f', chance(0.6) ? 't' : 'f',
      chance(0.6) ? ts(updated + Math.floor(r() * 60 * 86_400_000), Math.floor(r() * 1e6)) : '\\N',
      ts(created, Math.floor(r() * 1e6)), ts(updated, Math.floor(r() * 1e6)),
      chance(0.4) ? createHash('sha256').update(`bench-token-${id}`).digest('hex') : '\\N',
      staff && chance(0.3) ? '{1222}' : '{}',
      `{${[...new Set(groups)].join(',')}}`,
      chance(0.01) ? 't' : 'f',
    ];
    yield `${cols.join('\t')}\n`;
  }
}

function* chunked(lines: Generator<string>, size: number): Generator<string> {
  let buf: string[] = [];
  for (const line of lines) {
    buf.push(line);
    if (buf.length === size) {
      yield buf.join('');
      buf = [];
    }
  }
  if (buf.length > 0) yield buf.join('');
}

/** Loads n users (unless the serving generation already holds exactly that many); returns its schema. */
export async function loadMillionUsers(db: Knex, n: number, log: (line: string) => void): Promise<string> {
  const gen = await activeGeneration(db);
  const users = table(gen.schema, 'users');
  const have = Number((await db.raw(`select count(*) from ${users}`)).rows[0].count);
  const hasCounts = (await db.raw(`select to_regclass(?) is not null as ok`, [`${gen.schema}.user_counts`])).rows[0].ok;
  const counted = hasCounts ? Number((await db.raw(`select count(*) from ${table(gen.schema, 'user_counts')}`)).rows[0].count) : 0;
  if (have === n && counted > 0 && !process.argv.includes('--reload')) {
    log(`read model already holds ${n} users; reusing it`);
    return gen.schema;
  }
  await db.raw(`drop schema "${gen.schema}" cascade`);
  await createReadModel(db, gen.schema, { indexes: false });
  const columns = USER_COLUMNS.map(([c]) => c).join(', ');
  const client = await db.client.acquireConnection();
  let started = Date.now();
  try {
    await client.query('set statement_timeout = 0');
    await pipeline(Readable.from(chunked(userLines(n), 5000)), client.query(copyFrom(`copy ${users} (${columns}) from stdin`)));
  } finally {
    await client.query('reset statement_timeout');
    await db.client.releaseConnection(client);
  }
  log(`copied ${n} users in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  started = Date.now();
  // Ten million users take longer than the 30 s a statement of the pool may (shared/db.ts): no limit here.
  await db.transaction(async (trx) => {
    await trx.raw('set local statement_timeout = 0');
    await trx.raw(`insert into ${table(gen.schema, 'groups')} (id, version, name) select g, 1, 'Group ' || g from generate_series(1, ${GROUPS}) g`);
    await fillCounts(trx, gen.schema);
    await createUserIndexes(trx, gen.schema);
  });
  const conn = await db.client.acquireConnection();
  try {
    await conn.query('set statement_timeout = 0');
    await conn.query(`vacuum analyze ${users}`);
    await conn.query(`analyze ${table(gen.schema, 'groups')}`);
    await conn.query('reset statement_timeout');
  } finally {
    await db.client.releaseConnection(conn);
  }
  log(`indexed and analysed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return gen.schema;
}

/**
 * The projector keeps projections/users/counts.ts's counters as it applies events; rows copied in bypass
 * it, so the loader aggregates them once (the benchmark checks them against count(*)).
 */
async function fillCounts(db: Knex | Knex.Transaction, schema: string): Promise<void> {
  const filled = (c: string) => `coalesce(${c}, '') <> ''`;
  await db.raw(`
    insert into ${table(schema, 'user_counts')} (partition, key, n)
    select 0, (case when is_customer then 'c:' else 's:' end) || k, count(*)
    from ${table(schema, 'users')} cross join lateral (values
      ('all', true), ('has_email', ${filled('email')}), ('has_avatar', ${filled('avatar')}), ('has_phone', ${filled('mobile_number')}),
      ('has_first_name', ${filled('first_name')}), ('has_last_name', ${filled('last_name')}), ('has_token', token_sha256 is not null),
      ('is_active', is_active), ('is_profile_completed', is_profile_completed), ('is_admin', is_admin), ('is_staff', is_staff),
      ('gender:' || gender, gender is not null),
      ('username^' || substr(username, 1, ${USERNAME_PREFIX}), true),
      ('created_at:' || to_char(created_at at time zone 'UTC', 'YYYY-MM-DD'), true),
      ('updated_at:' || to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD'), true),
      ('last_login:' || to_char(last_login at time zone 'UTC', 'YYYY-MM-DD'), last_login is not null)
    ) as v(k, holds)
    where not deleted and holds
    group by 1, 2`);
  await db.raw(`
    insert into ${table(schema, 'user_counts')} (partition, key, n)
    select 0, (case when is_customer then 'c:' else 's:' end) || 'group:' || g, count(*)
    from ${table(schema, 'users')}, unnest(array(select distinct x from unnest(group_ids) x)) g
    where not deleted
    group by 1, 2`);
}
