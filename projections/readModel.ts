// The read model's tables, created per generation in a schema of their own ("gen_<n>"), so that
// `rollcall replay` can build a new generation beside the serving one. A change to this DDL takes
// effect through a replay; READ_MODEL_VERSION tells which DDL a generation was built with.
import { Db } from '../shared/db';

export const READ_MODEL_VERSION = 1;

export function generationSchema(generation: number): string {
  return `gen_${generation}`;
}

/** A schema-qualified table name, safe to put into SQL (schemas are only ever gen_<n>). */
export function table(schema: string, name: 'users' | 'groups' | 'checkpoints' | 'user_counts' | 'user_changes' | 'blocked_registrations'): string {
  if (!/^gen_\d+$/.test(schema)) throw new Error(`not a read-model schema: ${schema}`);
  return `"${schema}"."${name}"`;
}

const nonEmpty = (col: string) => `coalesce(${col}, '') <> ''`;

/** The text fields of api.md's search, besides id. */
const SEARCHED = ['username', 'mobile_number', 'email', 'first_name', 'last_name'];
/** The timestamps of the date filters and orderings. */
const TIMESTAMPS = ['created_at', 'updated_at', 'last_login'];
/** The fields of api.md's ordering: each indexed behind the audience flag, with id as tie-break. */
const ORDERED = ['created_at', 'updated_at', 'username', 'email', 'gender', 'last_login'];

/**
 * Indexes for the documented filters, search and ordering (docs/read-model.md has the plans). Every list
 * query reads live rows of one audience (is_customer = true or false), so that flag leads and the partial
 * predicate drops tombstones.
 */
export async function createUserIndexes(db: Db, schema: string): Promise<void> {
  const users = table(schema, 'users');
  for (const col of ORDERED) {
    // A date filter on one timestamp ordered by another reads its matches filter-first (listing/execute/statements.ts,
    // walksTheWrongEnd): with the other timestamps included, from the index alone.
    const include = TIMESTAMPS.includes(col) ? ` include (${TIMESTAMPS.filter((t) => t !== col).join(', ')})` : '';
    await db.raw(`create index on ${users} (is_customer, ${col}, id)${include} where not deleted`);
  }
  await db.raw(`create index on ${users} (is_customer, id) where not deleted`);
  await db.raw(`create index on ${users} using gin (search_text gin_trgm_ops) where not deleted`);
  await db.raw(`create index on ${users} using gin (group_ids) where not deleted`);
  await db.raw(`create index on ${users} (token_sha256) where token_sha256 is not null and not deleted`);
  await db.raw(`create index on ${users} (invited_by) where invited_by is not null and not deleted`);
}

/** Creates a generation's tables; a bulk loader may leave the indexes for createUserIndexes after loading. */
export async function createReadModel(db: Db, schema: string, opts: { indexes: boolean } = { indexes: true }): Promise<void> {
  const users = table(schema, 'users');
  const groups = table(schema, 'groups');
  const checkpoints = table(schema, 'checkpoints');
  await db.raw(`create schema "${schema}"`);
  await db.raw(`
    create table ${users} (
      id bigint primary key,
      version bigint not null,
      username text not null,
      email text,
      mobile_number text,
      first_name text,
      last_name text,
      gender text,
      avatar text,
      invited_by bigint,
      invite_code text,
      is_active boolean not null,
      is_staff boolean not null,
      is_admin boolean not null,
      is_email_verified boolean not null,
      last_login timestamptz,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      token_sha256 text,
      permissions integer[] not null default '{}',
      group_ids bigint[] not null default '{}',
      deleted boolean not null default false,
      full_name text generated always as (case
        when ${nonEmpty('first_name')} and ${nonEmpty('last_name')} then first_name || ' ' || last_name
        when ${nonEmpty('first_name')} then first_name
        when ${nonEmpty('last_name')} then last_name end) stored,
      is_profile_completed boolean generated always as (${['first_name', 'last_name', 'email', 'mobile_number', 'gender']
        .map(nonEmpty)
        .join(' and ')}) stored,
      is_customer boolean generated always as (not is_staff and not is_admin) stored,
      search_text text generated always as (upper(${['id::text', ...SEARCHED.map((c) => `coalesce(${c}, '')`)].join(` || E'\\x01' || `)})) stored
    )`);
  if (opts.indexes) await createUserIndexes(db, schema);
  await db.raw(`
    create table ${groups} (
      id bigint primary key,
      version bigint not null,
      name text not null,
      permissions integer[] not null default '{}',
      deleted boolean not null default false
    )`);
  // Exact counts per audience and single filter, per partition (projections/users/counts.ts).
  await db.raw(`
    create table ${table(schema, 'user_counts')} (
      partition integer not null,
      key text not null,
      n bigint not null,
      primary key (partition, key)
    )`);
  await db.raw(`create index on ${table(schema, 'user_counts')} (key collate "C")`);
  await db.raw(`
    create table ${checkpoints} (
      topic text not null,
      partition integer not null,
      next_offset bigint not null,
      last_event_time timestamptz,
      updated_at timestamptz not null default now(),
      primary key (topic, partition)
    )`);
  await createUserChanges(db, schema);
  await createBlockedRegistrations(db, schema);
}

/**
 * Which users and groups each committed batch wrote, one row per batch, chained per partition by offsets: how an API
 * process keeps its in-memory index of every user (services/api/index/) up to date without
 * reading them all again. Rows older than a few minutes are pruned by the projector.
 */
export async function createUserChanges(db: Db, schema: string): Promise<void> {
  await db.raw(`
    create table if not exists ${table(schema, 'user_changes')} (
      topic text not null,
      partition integer not null,
      from_offset bigint not null,
      next_offset bigint not null,
      user_ids bigint[] not null,
      group_ids bigint[] not null,
      committed_at timestamptz not null default now(),
      primary key (topic, partition, next_offset)
    )`);
}

/**
 * Users whose registration was dead-lettered and who are still not registered, with how many of their later
 * events were dead-lettered as "never registered" behind it (projections/users/blocked.ts): one cause an
 * operator can fix, instead of a symptom per event.
 */
export async function createBlockedRegistrations(db: Db, schema: string): Promise<void> {
  await db.raw(`
    create table if not exists ${table(schema, 'blocked_registrations')} (
      user_id bigint primary key,
      partition integer not null,
      registration_offset bigint not null,
      reason text not null,
      blocked_events bigint not null default 0
    )`);
}
