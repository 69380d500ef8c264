// Exact counts of each audience, whole and per single filter, maintained by the projector in the batch's own
// transaction, so that the API's `count` stays exact without counting a million rows (issue 4). Kept per
// partition: a user's row only ever changes in its partition's transaction, so concurrent batches never
// contend for a counter; a query sums the partitions' rows.
import { Db } from '../../shared/db';
import { table } from '../readModel';
import { UserRow } from './userRow';

const filled = (s: string | null) => s !== null && s !== '';

/** What the API can count from the table: the flags are true for the row (a "false" count is all − true). */
export const COUNTED_FLAGS = {
  has_email: (u: UserRow) => filled(u.email),
  has_avatar: (u: UserRow) => filled(u.avatar),
  has_phone: (u: UserRow) => filled(u.mobile_number),
  has_first_name: (u: UserRow) => filled(u.first_name),
  has_last_name: (u: UserRow) => filled(u.last_name),
  has_token: (u: UserRow) => u.token_sha256 !== null,
  is_active: (u: UserRow) => u.is_active,
  is_profile_completed: (u: UserRow) => [u.first_name, u.last_name, u.email, u.mobile_number, u.gender].every(filled),
  is_admin: (u: UserRow) => u.is_admin,
  is_staff: (u: UserRow) => u.is_staff,
} as const;

const FLAG_ENTRIES = Object.entries(COUNTED_FLAGS);

/**
 * Usernames are counted by their first USERNAME_PREFIX characters, so a deep offset in username order can
 * start at the right prefix (services/api/listing/execute/deepOffset.ts, where the collation compares bytewise).
 */
export const USERNAME_PREFIX = 3;
export const usernamePrefix = (username: string) => [...username].slice(0, USERNAME_PREFIX).join('');

/** The timestamps counted per UTC day, so date filters are sums over a range of days. */
export const COUNTED_DAYS = ['created_at', 'updated_at', 'last_login'] as const;

/**
 * The counters a row adds to, audience first ("c:" customers, "s:" staff and admins): the whole list, each
 * flag that holds, its gender, each group it is a member of (the API checks the group exists), the first
 * characters of its username, and the UTC day of each timestamp.
 */
export function countKeys(u: UserRow | undefined): string[] {
  if (u === undefined || u.deleted) return [];
  const audience = !u.is_staff && !u.is_admin ? 'c:' : 's:';
  const keys = [`${audience}all`];
  for (const [name, holds] of FLAG_ENTRIES) if (holds(u)) keys.push(`${audience}${name}`);
  if (u.gender !== null) keys.push(`${audience}gender:${u.gender}`);
  for (const g of new Set(u.group_ids)) keys.push(`${audience}group:${g}`);
  keys.push(`${audience}username^${usernamePrefix(u.username)}`);
  for (const col of COUNTED_DAYS) {
    const at = u[col];
    if (at !== null) keys.push(`${audience}${col}:${utcDay(at)}`);
  }
  return keys;
}

const UTC_SUFFIX = /^\d{4}-\d\d-\d\d[T ][^+-]*(?:Z|[+-]00(?::?00)?)$/;

/**
 * The UTC calendar day of a timestamp as the projector holds it: PostgreSQL's text ("2026-02-21 23:20:25.5+00")
 * for rows it loaded, the event's RFC 3339 time ("2026-02-22T01:20:25.5+02:00") for rows it folded.
 */
export function utcDay(ts: string): string {
  // Already in UTC (PostgreSQL's text, or an event time in Z): the day is the date as written.
  if (UTC_SUFFIX.test(ts)) return ts.slice(0, 10);
  const iso = ts.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00');
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`unreadable timestamp: ${ts}`);
  return new Date(ms).toISOString().slice(0, 10);
}

/** The change of every counter between the rows as loaded and as folded. */
export function countDeltas(before: ReadonlyMap<string, UserRow>, after: ReadonlyMap<string, UserRow>, changed: Iterable<string>): Map<string, number> {
  const deltas = new Map<string, number>();
  for (const id of changed) {
    for (const k of countKeys(before.get(id))) deltas.set(k, (deltas.get(k) ?? 0) - 1);
    for (const k of countKeys(after.get(id))) deltas.set(k, (deltas.get(k) ?? 0) + 1);
  }
  for (const [k, n] of deltas) if (n === 0) deltas.delete(k);
  return deltas;
}

export async function addCounts(db: Db, schema: string, partition: number, deltas: ReadonlyMap<string, number>): Promise<void> {
  if (deltas.size === 0) return;
  await db.raw(
    `insert into ${table(schema, 'user_counts')} (partition, key, n)
     select ?, key, n::bigint from jsonb_each_text(?::jsonb) as d(key, n)
     on conflict (partition, key) do update set n = user_counts.n + excluded.n`,
    [partition, JSON.stringify(Object.fromEntries(deltas))],
  );
}
