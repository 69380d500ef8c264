// A deep offset into the whole list in time order, without walking the offset. PostgreSQL skips an offset
// entry by entry (about 40 ms for 500,000 even from an index alone); the projector's counters of users per
// UTC day (projections/users/counts.ts) say in which day the offset falls and how many users come before that
// day, so the page starts at that day and skips only within it. Exact: the counters are written in the same
// transaction as the rows.
import { Db } from '../../../shared/db';
import { table } from '../../../projections/readModel';
import { ListedRow, ListRequest, listStatements } from './listQuery';

/** Offsets from here on are found by day; a smaller one costs PostgreSQL less than the day lookup. */
const DEEP = 10_000;
/** Timestamps that are never null and are counted per day. */
const DAY_COUNTED = new Set(['created_at', 'updated_at']);

/** Whether this request's page can be found by day: no filter at all, ordered first by a day-counted timestamp. */
export function findsPageByDay(req: ListRequest): boolean {
  const first = req.ordering[0];
  return req.conditions.length === 0 && req.online === null && req.page.offset >= DEEP && first !== undefined && DAY_COUNTED.has(first.field);
}

export async function pageByDay(db: Db, schema: string, req: ListRequest): Promise<ListedRow[]> {
  const first = req.ordering[0];
  if (first === undefined) throw new Error('a page by day needs an ordering');
  const prefix = `${req.audience === 'customers' ? 'c:' : 's:'}${first.field}:`;
  const direction = first.descending ? 'desc' : 'asc';
  // The first day (in the page's direction) through which more users than the offset have come.
  const { rows: [day] } = await db.raw<{ rows: Array<{ day: string; before: string }> }>(
    `with days as (select substr(key, ?) as day, sum(n) as n from ${table(schema, 'user_counts')}
                   where key collate "C" > ? and key collate "C" < ? group by 1),
          running as (select day, n, sum(n) over (order by day ${direction}) as through from days)
     select day, through - n as before from running where through > ? order by day ${direction} limit 1`,
    [prefix.length + 1, prefix, `${prefix}~`, req.page.offset],
  );
  if (day === undefined) return [];
  const from = first.descending
    ? { sql: `u.${first.field} < (?::date + 1)::timestamp at time zone 'UTC'`, bindings: [day.day] }
    : { sql: `u.${first.field} >= ?::date::timestamp at time zone 'UTC'`, bindings: [day.day] };
  const { page } = listStatements(schema, { ...req, conditions: [from], page: { ...req.page, offset: req.page.offset - Number(day.before) } });
  return (await db.raw<{ rows: ListedRow[] }>(page.sql, page.bindings)).rows;
}
