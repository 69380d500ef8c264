// The flags of facets.ts, one bit each, and how a request's filters become one test of them:
// (flags & mask) === value, within an id range. Each bit is computed by PostgreSQL from the filter's own
// SQL, so a bit means exactly what the filter's condition means.
import { Knex } from 'knex';
import { Audience } from './listQuery';
import { Filter, FILTERS, GENDERS } from './filters';
import { INT64_MAX, INT64_MIN } from './parameters';
import type { GroupClauses } from './groupMembers';

/** Bit 0: the user exists and is not deleted; then one bit per boolean filter below; gender in the top bits. */
export const PRESENT = 1;
const FLAG_FILTERS = ['is_customer', 'has_email', 'has_avatar', 'has_phone', 'has_first_name', 'has_last_name', 'has_token',
  'is_active', 'is_profile_completed', 'is_admin', 'is_staff'] as const;
const GENDER_SHIFT = 12;
const GENDER_MASK = 3 << GENDER_SHIFT;

/** The timestamps held per user, in this order (epoch microseconds, NaN for null). */
export const TIMESTAMPS = ['created_at', 'updated_at', 'last_login'] as const;
/** A date filter: the timestamp at `col` (an index into TIMESTAMPS) in [from, to). */
export type TimeRange = Readonly<{ col: number; from: number; to: number }>;

/** `search`: the search's terms folded to upper case, each to be found in the user's search text (searchIndex.ts). */
/**
 * The characters a search term held in memory may have: ASCII, which JavaScript and PostgreSQL fold alike
 * (facetLoad.ts checks the database's upper() against this very string), but \x01, which joins the fields.
 */
export const HELD_CHARACTERS = String.fromCharCode(...Array.from({ length: 0x7e }, (_, i) => i + 2));

export type FacetSpec = Readonly<{
  mask: number; value: number; idMin: number; idMax: number; groups: GroupClauses; times: readonly TimeRange[]; search: readonly string[];
}>;

const bitOf = (name: string): number | undefined => {
  const i = (FLAG_FILTERS as readonly string[]).indexOf(name);
  return i < 0 ? undefined : 1 << (i + 1);
};

/** The SELECT expression of a user's flags (alias u), with its bindings. */
export function facetSql(): { sql: string; bindings: Knex.Value[] } {
  const bindings: Knex.Value[] = [];
  const parts = [`(case when not u.deleted then ${PRESENT} else 0 end)`];
  for (const name of FLAG_FILTERS) {
    const filter = FILTERS.find((f) => f.name === name) as Filter;
    const cond = filter.sql?.(true)({ schema: 'gen_0' }) as { sql: string; bindings: readonly Knex.Value[] };
    parts.push(`(case when ${cond.sql} then ${bitOf(name)} else 0 end)`);
    bindings.push(...cond.bindings);
  }
  parts.push(`(case u.gender ${GENDERS.map((g, i) => `when '${g}' then ${(i + 1) << GENDER_SHIFT}`).join(' ')} else 0 end)`);
  return { sql: `(${parts.join(' | ')})`, bindings };
}

/**
 * The test of a request's filters and search terms, or null when a filter is not a flag, gender, group, date
 * or id bound, or a term is not plain ASCII (those requests are counted by PostgreSQL). Contradicting filters
 * give a test nothing passes.
 */
export function facetSpec(audience: Audience, given: ReadonlyArray<{ filter: Filter; value: unknown }>, terms: readonly string[] = []): FacetSpec | null {
  if (!terms.every((t) => [...t].every((c) => HELD_CHARACTERS.includes(c)))) return null;
  let mask = PRESENT;
  let value = PRESENT;
  let idMin = -Infinity;
  let idMax = Infinity;
  let impossible = false;
  const groups: number[][] = [];
  const times: TimeRange[] = [];
  const require = (bits: number, wanted: number) => {
    if ((mask & bits) !== 0 && (value & bits) !== wanted) impossible = true;
    mask |= bits;
    value = (value & ~bits) | wanted;
  };
  const customerBit = bitOf('is_customer') as number;
  require(customerBit, audience === 'customers' ? customerBit : 0);
  for (const { filter, value: v } of given) {
    const bit = bitOf(filter.name);
    if (bit !== undefined) require(bit, v === true ? bit : 0);
    else if (filter.name === 'gender') require(GENDER_MASK, (GENDERS.indexOf(v as (typeof GENDERS)[number]) + 1) << GENDER_SHIFT);
    else if (filter.name === 'id_min') idMin = Math.max(idMin, bound(v as bigint));
    else if (filter.name === 'id_max') idMax = Math.min(idMax, bound(v as bigint));
    // A group id past 2^53 names no group the flags hold (a generation with one is not held at all).
    else if (filter.name === 'group_id') groups.push([v as bigint].filter(safe).map(Number));
    else if (filter.name === 'groups_in') {
      // Each id once; a clause of more ids than any directory has groups is left to PostgreSQL, so that a
      // count kept for it does not tax every later change of a user (keptCounts.ts).
      const ids = [...new Set((v as bigint[]).filter(safe).map(Number))];
      if (ids.length > MAX_HELD_GROUPS) return null;
      groups.push(ids);
    }
    else if (filter.date !== undefined) times.push(timeRange(filter.date, v as string));
    else if (!filter.online) return null;
  }
  // A test nothing passes: no flags & 0 equal 1, no id lies in [1, 0].
  const search = terms.map((t) => t.toUpperCase());
  return impossible ? { mask: 0, value: PRESENT, idMin: 1, idMax: 0, groups: [], times: [], search: [] } : { mask, value, idMin, idMax, groups, times, search };
}

/** The test of an endpoint's whole list: every present user of the audience. */
export function audienceOnly(audience: Audience): FacetSpec {
  return facetSpec(audience, []) as FacetSpec;
}

const DAY_MICROS = 86_400_000_000;
/** The most distinct group ids a groups_in clause may name and still be answered in memory. */
const MAX_HELD_GROUPS = 1_000;

/** A date filter as a range of epoch microseconds: the UTC day's midnight, the next day's, or either open. */
function timeRange(date: Readonly<{ column: string; bound: 'day' | 'from' | 'to' }>, day: string): TimeRange {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const at = new Date(0);
  at.setUTCFullYear(y, m - 1, d); // not Date.UTC: it reads years 0-99 as 1900-1999
  const midnight = at.getTime() * 1000;
  const col = (TIMESTAMPS as readonly string[]).indexOf(date.column);
  if (date.bound === 'day') return { col, from: midnight, to: midnight + DAY_MICROS };
  return date.bound === 'from' ? { col, from: midnight, to: Infinity } : { col, from: -Infinity, to: midnight + DAY_MICROS };
}

/** The SELECT expressions of a user's timestamps (alias u), in TIMESTAMPS order, as exact epoch microseconds. */
export function timestampSql(): string {
  return TIMESTAMPS.map((c, i) => `(extract(epoch from u.${c}) * 1000000)::float8 as t${i}`).join(', ');
}

const safe = (n: bigint) => n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER);

/** An id bound as a number; ids in the index are exact, so a bound past 2^53 keeps everyone or no one. */
function bound(n: bigint): number {
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) return n > INT64_MAX ? Infinity : Number.MAX_SAFE_INTEGER + 1;
  if (n < BigInt(Number.MIN_SAFE_INTEGER)) return n < INT64_MIN ? -Infinity : Number.MIN_SAFE_INTEGER - 1;
  return Number(n);
}
