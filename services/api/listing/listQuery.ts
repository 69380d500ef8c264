// One listing request → two statements, whatever the page size: the exact count and the page itself.
// Everything a page shows (inviter, invitees, groups) comes from subqueries of the page statement.
import { Knex } from 'knex';
import { Db } from '../../../shared/db';
import { table } from '../../../projections/readModel';
import { Page } from './pagination';
import { OrderTerm, orderBySql } from './ordering';
import type { FacetSpec } from './facetSpec';
import type { UserFacets } from './facets';
import type { OnlineSnapshot } from '../../../shared/activity/onlineSnapshot';
import { listOnline } from './onlinePage';
import { findsPageByCounters, pageByCounters } from './deepOffset';
import { pageInMemory } from './pageInMemory';

export type Audience = 'customers' | 'staff';
export type Condition = Readonly<{ sql: string; bindings: readonly Knex.Value[] }>;

export type ListedRow = {
  id: string;
  username: string;
  mobile_number: string | null;
  email: string | null;
  is_email_verified: boolean;
  avatar: string | null;
  first_name: string | null;
  last_name: string | null;
  full_name: string | null;
  gender: string | null;
  invited_by: string | null;
  invite_code: string | null;
  is_active: boolean;
  is_staff: boolean;
  is_admin: boolean;
  is_profile_completed: boolean;
  last_login: string | null;
  created_at: string;
  updated_at: string;
  inviter: { id: string; username: string; full_name: string | null } | null;
  invitees_count: string;
  groups: Array<{ id: string; name: string }> | null;
};

// Written as equalities so the planner can use the indexes that lead with is_customer.
const AUDIENCE: Record<Audience, string> = {
  customers: 'u.is_customer = true',
  staff: 'u.is_customer = false',
};

/**
 * How the counters of projections/users/counts.ts give a request's count: the signed sum of the counters whose
 * keys fall in each range (bytewise), or 0 when `group` names a group that does not exist (any more).
 */
export type CountFrom = Readonly<{ terms: ReadonlyArray<{ from: string; to: string; sign: 1 | -1 }>; group?: string; audienceAll: string }>;

export type ListRequest = Readonly<{
  audience: Audience;
  countFrom: CountFrom | null;
  /** The request's only filter, when that filter is a date filter. */
  dateFilter: Readonly<{ column: string; bound: 'day' | 'from' | 'to' }> | null;
  conditions: readonly Condition[];
  /** The is_online filter's value, if given: its condition needs the online set (onlineCondition). */
  online: boolean | null;
  /** The filters as one test of the in-memory flags (facetSpec.ts), when they all are flags, gender or id bounds. */
  facets: FacetSpec | null;
  ordering: readonly OrderTerm[];
  page: Page;
  details: boolean;
}>;

export type Statement = Readonly<{ sql: string; bindings: readonly Knex.Value[] }>;

/**
 * The two statements of a list request: the exact count and the page. With `selective`, the page reads the
 * filtered rows first and keeps the top N (unindexedOrder), instead of walking the ordering index until
 * enough rows match: right when few rows match, as when an old `updated_to` meets the newest-first order.
 */
export function listStatements(schema: string, req: ListRequest, opts: { selective?: boolean } = {}): { count: Statement; page: Statement } {
  const users = table(schema, 'users');
  const { where, bindings } = whereOf(req);
  const details = detailColumns(schema, req);
  return {
    count: req.countFrom === null
      ? { sql: `select count(*) from ${users} u where ${where}`, bindings }
      : countFromCounters(schema, req.countFrom),
    // A deferred join: the page's ids come from the ordering index alone (skipping `offset` index entries,
    // not heap rows), then only those rows are read.
    page: {
      sql: `select u.*${details}
            from (select u.id from ${users} u where ${where}
                  order by ${opts.selective ? unindexedOrder(req.ordering) : orderBySql(req.ordering, 'u')} limit ? offset ?) p
            join ${users} u on u.id = p.id
            order by ${orderBySql(req.ordering, 'u')}`,
      bindings: [...bindings, req.page.limit, req.page.offset],
    },
  };
}

/** The ids of matching rows in the request's order, `limit` of them after `offset`: a scan in steps. */
export function idsInOrder(schema: string, req: ListRequest, limit: number, offset: number): Statement {
  const { where, bindings } = whereOf(req);
  return {
    sql: `select u.id from ${table(schema, 'users')} u where ${where} order by ${orderBySql(req.ordering, 'u')} limit ? offset ?`,
    bindings: [...bindings, limit, offset],
  };
}

/** The live rows of the request's audience that pass its conditions (alias u). */
function whereOf(req: ListRequest): { where: string; bindings: Knex.Value[] } {
  return {
    where: ['not u.deleted', AUDIENCE[req.audience], ...req.conditions.map((c) => c.sql)].join(' and '),
    bindings: req.conditions.flatMap((c) => c.bindings),
  };
}

/** The page of rows whose ids are already chosen, in the request's order. */
export function pageOfIds(schema: string, req: ListRequest, ids: readonly string[]): Statement {
  return { sql: `select u.*${detailColumns(schema, req)} from ${table(schema, 'users')} u where u.id = any(?::bigint[]) order by ${orderBySql(req.ordering, 'u')}`, bindings: [[...ids]] };
}

/** Inviter, invitees and groups, as subqueries of the page (alias u). */
function detailColumns(schema: string, req: ListRequest): string {
  const users = table(schema, 'users');
  const groups = table(schema, 'groups');
  return req.details
    ? `,
      (select json_build_object('id', i.id::text, 'username', i.username, 'full_name', i.full_name)
         from ${users} i where i.id = u.invited_by and not i.deleted) as inviter,
      (select count(*) from ${users} i where i.invited_by = u.id and not i.deleted) as invitees_count,
      (select json_agg(json_build_object('id', g.id::text, 'name', g.name) order by g.id)
         from ${groups} g where g.id = any(u.group_ids) and not g.deleted) as groups`
    : '';
}

/**
 * The order of a filter-first page: the first term as an expression no index provides, so PostgreSQL reads the
 * filtered rows (from the filter's index, which includes the other timestamps) and keeps the top N, rather
 * than walking the ordering's index. Same order: adding a zero interval changes no value, nulls included.
 */
function unindexedOrder(ordering: readonly OrderTerm[]): string {
  const [first, ...rest] = ordering;
  if (first === undefined) return '';
  const expr = first.field === 'id' ? '(u.id + 0)' : `(u.${first.field} + interval '0 s')`;
  return [`${expr} ${first.descending ? 'desc' : 'asc'}`, ...(rest.length > 0 ? [orderBySql(rest, 'u')] : [])].join(', ');
}

function countFromCounters(schema: string, c: CountFrom): Statement {
  const total = `coalesce(sum(n) filter (where key collate "C" = ?), 0) as total`;
  const sum = c.terms.length === 0 ? '0' : c.terms
    .map((t, i) => `${i === 0 ? (t.sign === 1 ? '' : '-') : t.sign === 1 ? ' + ' : ' - '}coalesce(sum(n) filter (where key collate "C" between ? and ?), 0)`)
    .join('');
  const bindings: Knex.Value[] = [...c.terms.flatMap((t) => [t.from, t.to]), c.audienceAll];
  if (c.group === undefined) return { sql: `select ${sum} as count, ${total} from ${table(schema, 'user_counts')}`, bindings };
  return {
    sql: `select case when exists (select 1 from ${table(schema, 'groups')} g where g.id = ?::bigint and not g.deleted)
            then ${sum} else 0 end as count, ${total} from ${table(schema, 'user_counts')}`,
    bindings: [c.group, ...bindings],
  };
}

/** Up to this many matching rows, a date-filtered page may be read filter-first (a bounded cost). */
const FILTER_FIRST_MAX = 100_000;
const TIME_ORDERED = new Set(['id', 'created_at', 'updated_at', 'last_login']);

/**
 * Timestamps correlate with each other and with the order users arrived in (so does id). A date filter on
 * one column then keeps rows at one end of another column's ordering index: walking that index from the
 * other end crosses almost all of it before a page fills (PostgreSQL's estimates assume no correlation).
 * Such a request is read filter-first when the counters say at most FILTER_FIRST_MAX rows match.
 */
export function walksTheWrongEnd(req: ListRequest): boolean {
  const first = req.ordering[0];
  const f = req.dateFilter;
  if (f === null || first === undefined || !TIME_ORDERED.has(first.field) || first.field === f.column) return false;
  return f.bound === 'day' || (f.bound === 'to') === first.descending;
}

/** What a request reads besides PostgreSQL: the online set (when it filters on it) and the in-memory flags. */
export type ListSources = Readonly<{ online: OnlineSnapshot | null; facets: UserFacets | null }>;

/**
 * A page costs two queries whatever its size: count and page side by side; or only the page, when the
 * in-memory flags count the request; or a counter lookup before the page, for a deep offset (deepOffset.ts); or, for a date filter that would walk the ordering index from the
 * wrong end, the count first (from the counters, about a millisecond) to choose the page's plan.
 */
export async function listUsers(db: Db, schema: string, req: ListRequest, src: ListSources = { online: null, facets: null }): Promise<{ count: number; rows: ListedRow[] }> {
  if (req.online !== null) return listOnline(db, schema, req, src);
  const { count, page } = listStatements(schema, req);
  if (req.facets !== null && src.facets !== null && src.facets.holds(req.facets)) {
    const { count: n, rows: chosen } = await pageInMemory(db, schema, req, req.facets, src.facets);
    if (chosen !== null) return { count: n, rows: chosen };
    if (req.countFrom === null) return { count: n, rows: (await db.raw<{ rows: ListedRow[] }>(page.sql, page.bindings)).rows };
  }
  if (findsPageByCounters(req)) {
    const [counted, rows] = await Promise.all([db.raw<{ rows: { count: string }[] }>(count.sql, count.bindings), pageByCounters(db, schema, req)]);
    const chosen = rows ?? (await db.raw<{ rows: ListedRow[] }>(page.sql, page.bindings)).rows;
    return { count: Number(counted.rows[0]?.count ?? 0), rows: chosen };
  }
  if (req.countFrom !== null && walksTheWrongEnd(req)) {
    const { rows: [c] } = await db.raw<{ rows: { count: string }[] }>(count.sql, count.bindings);
    const n = Number(c?.count ?? 0);
    const chosen = n <= FILTER_FIRST_MAX ? listStatements(schema, req, { selective: true }).page : page;
    return { count: n, rows: (await db.raw<{ rows: ListedRow[] }>(chosen.sql, chosen.bindings)).rows };
  }
  const [counted, rows] = await Promise.all([
    db.raw<{ rows: { count: string }[] }>(count.sql, count.bindings),
    db.raw<{ rows: ListedRow[] }>(page.sql, page.bindings),
  ]);
  return { count: Number(counted.rows[0]?.count ?? 0), rows: rows.rows };
}
