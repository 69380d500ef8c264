// A list request's SQL: the exact count (count(*) or the counters), the page, a page of chosen ids, ids in
// order for a walk. Everything a page shows (inviter, invitees, groups) comes from subqueries of the page
// statement.
import { Knex } from 'knex';
import { table } from '../../../../projections/readModel';
import { OrderTerm, orderBySql } from '../parse/ordering';
import type { Audience, CountFrom, ListRequest } from '../parse/request';

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
