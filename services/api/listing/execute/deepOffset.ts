// A deep offset into the whole list, without walking the offset. PostgreSQL skips an offset entry by entry
// (about 40 ms for 500,000 even from an index alone). The projector counts users per UTC day of each
// timestamp and per first characters of the username (projections/users/counts.ts); those counters say in
// which day (or prefix) the offset falls and how many users come before it, so the page starts there and
// skips only within it. Exact: the counters are written in the same transaction as the rows.
import { Db } from '../../../../shared/db';
import { table } from '../../../../projections/readModel';
import { ListedRow, listStatements } from './statements';
import type { Condition, ListRequest } from '../parse/request';

/** Fields never null, counted by day (the others the planner lets through are counted by username prefix). */
const BY_DAY = new Set(['created_at', 'updated_at']);
/** Collations that order text by code point, as the prefix counters' keys are ordered (bytewise). */
const BYTEWISE = new Set(['C', 'POSIX', 'C.UTF-8', 'C.utf8']);

type Bucket = { key: string; next_key: string | null; before: string; total: string; audience: string };

/** The page, or null when the counters cannot place it (a collation that is not bytewise, counters missing). */
export async function pageByCounters(db: Db, schema: string, req: ListRequest): Promise<ListedRow[] | null> {
  const first = req.ordering[0];
  if (first === undefined) throw new Error('a page by counters needs an ordering');
  const byDay = BY_DAY.has(first.field);
  if (!byDay && !(await bytewise(db))) return null;
  const audience = req.audience === 'customers' ? 'c:' : 's:';
  const prefix = `${audience}${first.field}${byDay ? ':' : '^'}`;
  const direction = first.descending ? 'desc' : 'asc';
  // The first bucket (in the page's direction) through which more users than the offset have come, the
  // bucket after it in ascending order, and whether the buckets add up to the whole audience.
  const { rows: [bucket] } = await db.raw<{ rows: Bucket[] }>(
    `with buckets as (select substr(key, ?) as key, sum(n) as n from ${table(schema, 'user_counts')}
                      where key collate "C" > ? and key collate "C" < ? group by 1),
          running as (select key, n, lead(key) over (order by key collate "C") as next_key,
                             sum(n) over (order by key collate "C" ${direction}) as through, sum(n) over () as total from buckets)
     select key, next_key, through - n as before, total,
            (select coalesce(sum(n), 0) from ${table(schema, 'user_counts')} where key collate "C" = ?) as audience
     from running where through > ? order by key collate "C" ${direction} limit 1`,
    [prefix.length + 1, prefix, `${prefix}\u{10FFFF}`, `${audience}all`, req.page.offset],
  );
  if (bucket === undefined) return byDay ? [] : null;
  if (bucket.total !== bucket.audience) return null; // a generation built before these counters existed
  const from = startOf(first.field, first.descending, byDay, bucket);
  const { page } = listStatements(schema, { ...req, conditions: from === null ? [] : [from], page: { ...req.page, offset: req.page.offset - Number(bucket.before) } });
  return (await db.raw<{ rows: ListedRow[] }>(page.sql, page.bindings)).rows;
}

/**
 * The condition that starts the page at its bucket. A username in a prefix's bucket starts with that prefix,
 * so (bytewise) it is at least the prefix and below every later bucket's prefix.
 */
function startOf(field: string, descending: boolean, byDay: boolean, b: Bucket): Condition | null {
  if (byDay) {
    return descending
      ? { sql: `u.${field} < (?::date + 1)::timestamp at time zone 'UTC'`, bindings: [b.key] }
      : { sql: `u.${field} >= ?::date::timestamp at time zone 'UTC'`, bindings: [b.key] };
  }
  if (!descending) return { sql: `u.${field} >= ?`, bindings: [b.key] };
  return b.next_key === null ? null : { sql: `u.${field} < ?`, bindings: [b.next_key] };
}

const collations = new WeakMap<Db, Promise<boolean>>();

/** Whether the database orders text bytewise (its default collation; the read model sets none of its own). */
function bytewise(db: Db): Promise<boolean> {
  let known = collations.get(db);
  if (known === undefined) {
    known = db
      .raw<{ rows: Array<{ datcollate: string }> }>('select datcollate from pg_database where datname = current_database()')
      .then(({ rows }) => BYTEWISE.has(rows[0]?.datcollate ?? ''));
    known.catch(() => collations.delete(db));
    collations.set(db, known);
  }
  return known;
}
