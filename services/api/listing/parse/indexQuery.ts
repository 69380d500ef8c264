// The filter table (filters.ts) as the in-memory index sees it: the layout of each user's flags word, derived
// from the table's `held` column, the SQL that computes it, and a request's filters as one IndexQuery.
// Each bit is computed by PostgreSQL from the filter's own SQL condition, so a bit means exactly what the
// filter means.
import { Filter, FILTERS } from './filters';
import { Audience } from './request';
import { INT64_MAX, INT64_MIN } from './parameters';
import { FlagsSql, groupKey, GroupKey, IndexQuery, NOTHING, PRESENT, searchable, TimeRange, TIMESTAMPS } from '../../index/query';

/** The flags word is a Uint16Array entry (index/columns.ts). */
const WORD_BITS = 16;

type Field = Readonly<{ filter: Filter; shift: number; mask: number }>;

/** Bit 0 is PRESENT; then a bit per 'flag' row, then a field per 'choice' row wide enough for its values and none. */
function layout(): ReadonlyMap<string, Field> {
  const fields = new Map<string, Field>();
  let shift = 1;
  for (const filter of FILTERS.filter((f) => f.held === 'flag')) fields.set(filter.name, { filter, shift, mask: 1 << shift++ });
  for (const filter of FILTERS.filter((f) => f.held === 'choice')) {
    const width = Math.ceil(Math.log2((filter.enum?.length ?? 0) + 1));
    fields.set(filter.name, { filter, shift, mask: ((1 << width) - 1) << shift });
    shift += width;
  }
  if (shift > WORD_BITS) throw new Error(`the held filters need ${shift} bits; the flags word has ${WORD_BITS}`);
  return fields;
}

export const FIELDS = layout();

/** The SELECT expression of a user's flags word (alias u), with its bindings: what the index loads. */
export function flagsSql(): FlagsSql {
  const bindings: unknown[] = [];
  const parts = [`(case when not u.deleted then ${PRESENT} else 0 end)`];
  for (const { filter, shift, mask } of FIELDS.values()) {
    if (filter.held === 'flag') {
      const cond = (filter.sql as NonNullable<Filter['sql']>)(true)({ schema: 'unused' });
      parts.push(`(case when ${cond.sql} then ${mask} else 0 end)`);
      bindings.push(...cond.bindings);
    } else {
      const values = filter.enum ?? [];
      parts.push(`(case u.${filter.name} ${values.map((v, i) => `when '${v}' then ${(i + 1) << shift}`).join(' ')} else 0 end)`);
    }
  }
  return { sql: `(${parts.join(' | ')})`, bindings: bindings as FlagsSql['bindings'] };
}

/** The value a field must have for the filter's value. */
function fieldValue(field: Field, v: unknown): number {
  if (field.filter.held === 'flag') return v === true ? field.mask : 0;
  return ((field.filter.enum ?? []).indexOf(v as string) + 1) << field.shift;
}

/**
 * A request's filters and search terms as one IndexQuery, or null when a term is not plain ASCII (searched by
 * PostgreSQL alone). Contradicting filters give NOTHING.
 */
export function indexQuery(audience: Audience, given: ReadonlyArray<{ filter: Filter; value: unknown }>, terms: readonly string[] = []): IndexQuery | null {
  if (!searchable(terms)) return null;
  let [mask, value, impossible] = [PRESENT, PRESENT, false];
  const require = (bits: number, wanted: number) => {
    if ((mask & bits) !== 0 && (value & bits) !== wanted) impossible = true;
    [mask, value] = [mask | bits, (value & ~bits) | wanted];
  };
  const customer = FIELDS.get('is_customer') as Field;
  require(customer.mask, fieldValue(customer, audience === 'customers'));
  let idMin: bigint | null = null;
  let idMax: bigint | null = null;
  const groups: GroupKey[][] = [];
  const times: TimeRange[] = [];
  for (const { filter, value: v } of given) {
    const field = FIELDS.get(filter.name);
    if (field !== undefined) require(field.mask, fieldValue(field, v));
    else if (filter.held === 'idMin') idMin = idMin === null || (v as bigint) > idMin ? (v as bigint) : idMin;
    else if (filter.held === 'idMax') idMax = idMax === null || (v as bigint) < idMax ? (v as bigint) : idMax;
    // Each id once: a repeated id multiplied the work per member.
    else if (filter.held === 'groups') groups.push([...new Set(([] as bigint[]).concat(v as bigint | bigint[]).filter(inInt64).map(String))].map(groupKey));
    else if (filter.held === 'time') times.push(timeRange(filter.date as NonNullable<Filter['date']>, v as string));
  }
  // Ids are 64-bit: a bound past the range keeps everyone or no one.
  if ((idMin !== null && idMin > INT64_MAX) || (idMax !== null && idMax < INT64_MIN)) impossible = true;
  if (idMin !== null && idMin < INT64_MIN) idMin = null;
  if (idMax !== null && idMax > INT64_MAX) idMax = null;
  if (impossible) return NOTHING;
  return { mask, value, idMin, idMax, groups, times, search: terms.map((t) => t.toUpperCase()) };
}

const inInt64 = (n: bigint) => n >= INT64_MIN && n <= INT64_MAX;

const DAY_MICROS = 86_400_000_000;

/** A date filter as a range of epoch microseconds: the UTC day's midnight, the next day's, or either open. */
function timeRange(date: NonNullable<Filter['date']>, day: string): TimeRange {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const at = new Date(0);
  at.setUTCFullYear(y, m - 1, d); // not Date.UTC: it reads years 0-99 as 1900-1999
  const midnight = at.getTime() * 1000;
  const col = (TIMESTAMPS as readonly string[]).indexOf(date.column);
  if (date.bound === 'day') return { col, from: midnight, to: midnight + DAY_MICROS };
  return date.bound === 'from' ? { col, from: midnight, to: Infinity } : { col, from: -Infinity, to: midnight + DAY_MICROS };
}
