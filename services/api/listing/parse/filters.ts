// The filters of both endpoints as one table. A row says everything about its filter: how its value is read,
// its SQL condition, how the in-memory index answers it (`held`: indexQuery.ts derives the flag bits from the
// table), which counters answer it alone (`counted`), and its OpenAPI entry (services/api/schema/openapi.ts).
// A new filter is a new row; tests/e2e/filterPaths.test.ts checks that every row is answered alike by every path.
import { Knex } from 'knex';
import { table } from '../../../../projections/readModel';
import { Condition, CountFrom, DateBound } from './request';
import { INT64_MAX, INT64_MIN, parseBoolean, parseChoice, parseDate, parseWholeNumber, parseWholeNumberList, Parsed, searchTerms } from './parameters';

export type FilterContext = Readonly<{ schema: string }>;
type Sql = (ctx: FilterContext) => Condition;

/**
 * How the index answers a filter: a bit of the flags word ('flag', the SQL condition computed once per user),
 * a field of it ('choice': one of `enum`, or none), the id bounds, group clauses, a timestamp range, or the
 * online set.
 */
export type Held = 'flag' | 'choice' | 'idMin' | 'idMax' | 'groups' | 'time' | 'online';

export type Filter = Readonly<{
  name: string;
  type: 'boolean' | 'integer' | 'date' | 'string' | 'integer-list';
  description: string;
  usersOnly?: boolean;
  enum?: readonly string[];
  read: (text: string) => Parsed<unknown>;
  /** The SQL condition; none for is_online, whose condition needs the online set (execute/onlinePage.ts). */
  sql?: (value: any) => Sql;
  held: Held;
  /** For date filters: the timestamp column compared, and which side of the date it keeps. */
  date?: DateBound;
  /** When this filter is the only one: how the maintained counters give the count ("c:" or "s:" prefix). */
  counted?: (value: any, audience: string) => CountFrom;
}>;

const exactly = (key: string) => ({ from: key, to: key, sign: 1 as const });
/** The count of the whole audience, of a flag that holds, and of the flag not holding (all − holds). */
export const countAll = (a: string): CountFrom => ({ terms: [exactly(`${a}all`)], audienceAll: `${a}all` });
const countFlag = (name: string) => (v: boolean, a: string): CountFrom =>
  v ? { terms: [exactly(`${a}${name}`)], audienceAll: `${a}all` }
    : { terms: [exactly(`${a}all`), { ...exactly(`${a}${name}`), sign: -1 }], audienceAll: `${a}all` };
const countDays = (col: string, from: string, to: string) => (a: string): CountFrom =>
  ({ terms: [{ from: `${a}${col}:${from}`, to: `${a}${col}:${to}`, sign: 1 }], audienceAll: `${a}all` });

const cond = (sql: string, ...bindings: Knex.Value[]): Condition => ({ sql, bindings });
const filled = (col: string) => (v: boolean) => () => cond(v ? `coalesce(u.${col}, '') <> ''` : `coalesce(u.${col}, '') = ''`);
const flag = (col: string) => (v: boolean) => () => cond(`u.${col} = ?`, v);
const midnight = `?::date::timestamp at time zone 'UTC'`;
const dayAfter = `(?::date + 1)::timestamp at time zone 'UTC'`;

const boolean = (name: string, description: string, sql: Filter['sql'], usersOnly = false, counted = true): Filter =>
  ({ name, type: 'boolean', description, read: parseBoolean, sql, held: 'flag', usersOnly, ...(counted ? { counted: countFlag(name) } : {}) });

const dates = (prefix: string, col: string, what: string): Filter[] => [
  { name: `${prefix}_date`, type: 'date', held: 'time', date: { column: col, bound: 'day' }, description: `${what}: UTC date equals`, read: parseDate,
    sql: (d: string) => () => cond(`u.${col} >= ${midnight} and u.${col} < ${dayAfter}`, d, d),
    counted: (d: string, a: string) => countDays(col, d, d)(a) },
  { name: `${prefix}_from`, type: 'date', held: 'time', date: { column: col, bound: 'from' }, description: `${what}: UTC date on or after`, read: parseDate,
    sql: (d: string) => () => cond(`u.${col} >= ${midnight}`, d), counted: (d: string, a: string) => countDays(col, d, '9999-12-31')(a) },
  { name: `${prefix}_to`, type: 'date', held: 'time', date: { column: col, bound: 'to' }, description: `${what}: UTC date on or before`, read: parseDate,
    sql: (d: string) => () => cond(`u.${col} < ${dayAfter}`, d), counted: (d: string, a: string) => countDays(col, '0001-01-01', d)(a) },
];

const inBigint = (n: bigint) => n >= INT64_MIN && n <= INT64_MAX;

export const GENDERS = ['male', 'female', 'other'] as const;

export const FILTERS: readonly Filter[] = [
  boolean('has_email', 'email is neither null nor empty', filled('email')),
  boolean('has_avatar', 'avatar is neither null nor empty', filled('avatar')),
  boolean('has_phone', 'mobile_number is neither null nor empty', filled('mobile_number')),
  boolean('has_first_name', 'first_name is neither null nor empty', filled('first_name')),
  boolean('has_last_name', 'last_name is neither null nor empty', filled('last_name')),
  boolean('has_token', 'the user has a token', (v: boolean) => () => cond(v ? 'u.token_sha256 is not null' : 'u.token_sha256 is null')),
  boolean('is_active', 'is_active equals', flag('is_active')),
  boolean('is_profile_completed', 'is_profile_completed equals', flag('is_profile_completed')),
  { name: 'is_online', type: 'boolean', description: 'token activity within the online window', read: parseBoolean, held: 'online' },
  boolean('is_admin', 'is_admin equals', flag('is_admin'), true),
  boolean('is_staff', 'is_staff equals', flag('is_staff'), true),
  boolean('is_customer', 'neither staff nor admin', flag('is_customer'), true, false),
  { name: 'gender', type: 'string', enum: GENDERS, description: 'gender, case-insensitive', read: parseChoice(GENDERS), held: 'choice',
    sql: (g: string) => () => cond('u.gender = ?', g), counted: (g: string, a: string) => ({ terms: [exactly(`${a}gender:${g}`)], audienceAll: `${a}all` }) },
  { name: 'group_id', type: 'integer', description: 'member of this existing group', read: parseWholeNumber, held: 'groups',
    counted: (id: bigint, a: string) =>
      inBigint(id) ? { terms: [exactly(`${a}group:${id}`)], group: id.toString(), audienceAll: `${a}all` } : { terms: [], audienceAll: `${a}all` },
    sql: (id: bigint) => (ctx) => !inBigint(id) ? cond('false') : cond(`u.group_ids @> array[?::bigint] and exists (select 1 from ${table(ctx.schema, 'groups')} g where g.id = ? and not g.deleted)`, id.toString(), id.toString()) },
  { name: 'groups_in', type: 'integer-list', description: 'member of at least one of these comma-separated groups', read: parseWholeNumberList, held: 'groups',
    sql: (ids: bigint[]) => (ctx) => cond(`u.group_ids && array(select g.id from ${table(ctx.schema, 'groups')} g where g.id = any(?::bigint[]) and not g.deleted)`, ids.filter(inBigint).map(String)) },
  // A bound past PostgreSQL's bigint range keeps everyone or no one, rather than failing the cast.
  { name: 'id_min', type: 'integer', description: 'id >= id_min', read: parseWholeNumber, held: 'idMin',
    sql: (n: bigint) => () => (n > INT64_MAX ? cond('false') : n < INT64_MIN ? cond('true') : cond('u.id >= ?::bigint', n.toString())) },
  { name: 'id_max', type: 'integer', description: 'id <= id_max', read: parseWholeNumber, held: 'idMax',
    sql: (n: bigint) => () => (n < INT64_MIN ? cond('false') : n > INT64_MAX ? cond('true') : cond('u.id <= ?::bigint', n.toString())) },
  ...dates('created', 'created_at', 'created_at'),
  ...dates('updated', 'updated_at', 'updated_at'),
  ...dates('last_login', 'last_login', 'last_login'),
];

export const SEARCH_FIELDS = ['id', 'username', 'mobile_number', 'email', 'first_name', 'last_name'] as const;

/** Up to this many terms, each is its own indexable condition; past it, all go in one array parameter. */
const INLINE_TERMS = 8;

/**
 * DRF's SearchFilter with icontains on PostgreSQL: every term in at least one field, compared as
 * UPPER(field::text) LIKE UPPER('%term%'), with %, _ and \ escaped. The trigram-indexed search_text column
 * (all the fields joined) narrows the rows first; the exact per-field test decides. A search of thousands
 * of terms (hostile or careless) keeps a statement of fixed size: the terms travel as one array.
 */
export function searchCondition(terms: readonly string[]): Condition | null {
  const patterns = terms.map((term) => `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (patterns.length === 0) return null;
  const inField = (p: string) => SEARCH_FIELDS.map((f) => `upper(u.${f}::text) like upper(${p})`).join(' or ');
  if (patterns.length > INLINE_TERMS) {
    return {
      sql: `(u.search_text like all (array(select upper(p) from unnest(?::text[]) p))
             and not exists (select 1 from unnest(?::text[]) t(p) where not (${inField('t.p')})))`,
      bindings: [patterns, patterns],
    };
  }
  return {
    sql: patterns.map(() => `(u.search_text like upper(?) and (${inField('?')}))`).join(' and '),
    bindings: patterns.flatMap((p) => [p, ...SEARCH_FIELDS.map(() => p)]),
  };
}

/**
 * A search's terms (api.md) that decide the result: a term found inside another term (as written) is implied
 * by it, and a repeated term by itself. Case is kept: which terms upper() makes equal is PostgreSQL's to say.
 */
export function searchedTerms(text: string): string[] {
  const terms = searchTerms(text);
  const unique = [...new Set(terms)].sort((a, b) => b.length - a.length);
  const kept: string[] = [];
  for (const term of unique) if (!kept.some((longer) => longer.includes(term))) kept.push(term);
  return kept;
}
