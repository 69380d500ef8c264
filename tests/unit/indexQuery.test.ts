// How a request's filters become one query of the in-memory index (services/api/listing/parse/indexQuery.ts):
// the cases where a wrong bit would count the wrong users without any SQL to disagree.
import { indexQuery, flagsSql } from '../../services/api/listing/parse/indexQuery';
import { FILTERS } from '../../services/api/listing/parse/filters';

const f = (name: string) => FILTERS.find((x) => x.name === name)!;
const given = (...pairs: Array<[string, unknown]>) => pairs.map(([name, value]) => ({ filter: f(name), value }));
// A user's flags word as written by hand from the table's order: bit 0 present, then the 'flag' rows in table
// order (has_email, has_avatar, has_phone, has_first_name, has_last_name, has_token, is_active,
// is_profile_completed, is_admin, is_staff, is_customer), then gender's two bits.
const BIT = { present: 1, has_email: 2, is_active: 1 << 7, is_staff: 1 << 10, is_customer: 1 << 11 } as const;
const passes = (spec: ReturnType<typeof indexQuery>, id: number | bigint, flags: number) =>
  spec !== null && (flags & spec.mask) === spec.value && (spec.idMin === null || BigInt(id) >= spec.idMin) && (spec.idMax === null || BigInt(id) <= spec.idMax);

it('lays the flags word out in the table order, each bit computed by its filter\'s own SQL', () => {
  const sql = flagsSql().sql;
  expect(sql).toContain(`(case when coalesce(u.email, '') <> '' then ${BIT.has_email} else 0 end)`);
  expect(sql).toContain(`(case when u.is_customer = ? then ${BIT.is_customer} else 0 end)`);
  expect(sql).toContain(`when 'female' then ${2 << 12}`);
});

it('requires the user present and of the endpoint audience', () => {
  const spec = indexQuery('customers', []);
  expect(passes(spec, 1, BIT.present | BIT.is_customer)).toBe(true);
  expect(passes(spec, 1, BIT.is_customer)).toBe(false);
  expect(passes(spec, 1, BIT.present)).toBe(false);
  expect(passes(indexQuery('staff', []), 1, BIT.present | BIT.is_staff)).toBe(true);
});

it('tests true and false flags both ways', () => {
  const spec = indexQuery('customers', given(['has_email', true], ['is_active', false]));
  const base = BIT.present | BIT.is_customer;
  expect(passes(spec, 1, base | BIT.has_email)).toBe(true);
  expect(passes(spec, 1, base | BIT.has_email | BIT.is_active)).toBe(false);
  expect(passes(spec, 1, base)).toBe(false);
});

it('tests gender by its code, not by a bit', () => {
  const female = indexQuery('customers', given(['gender', 'female']));
  const base = BIT.present | BIT.is_customer;
  expect(passes(female, 1, base | (2 << 12))).toBe(true);
  expect(passes(female, 1, base | (3 << 12))).toBe(false);
  expect(passes(female, 1, base | (1 << 12))).toBe(false);
});

it('passes nothing when filters contradict the audience', () => {
  const spec = indexQuery('staff', given(['is_customer', true]));
  const passing = Array.from({ length: 1 << 14 }, (_, flags) => flags).filter((flags) => passes(spec, 1, flags));
  expect(passing).toEqual([]);
});

it('keeps id bounds, and a bound past bigint keeps everyone or no one as the SQL does', () => {
  const spec = indexQuery('customers', given(['id_min', 10n], ['id_max', 20n]));
  const ok = BIT.present | BIT.is_customer;
  expect([9, 10, 20, 21].map((id) => passes(spec, id, ok))).toEqual([false, true, true, false]);
  expect(passes(indexQuery('customers', given(['id_max', 2n ** 70n])), 5, ok)).toBe(true);
  expect(passes(indexQuery('customers', given(['id_min', 2n ** 70n])), 5, ok)).toBe(false);
  expect(passes(indexQuery('customers', given(['id_min', -(2n ** 70n)])), 5, ok)).toBe(true);
  expect(passes(indexQuery('customers', given(['id_min', 2n ** 60n])), Number.MAX_SAFE_INTEGER, ok)).toBe(false);
  expect(passes(indexQuery('customers', given(['id_min', 2n ** 60n + 1n])), 2n ** 60n, ok)).toBe(false);
  expect(passes(indexQuery('customers', given(['id_min', 2n ** 60n + 1n])), 2n ** 60n + 1n, ok)).toBe(true);
  expect(passes(indexQuery('customers', given(['id_min', 2n ** 32n], ['has_email', true])), 2n ** 32n - 1n, ok | BIT.has_email)).toBe(false);
});

it('turns group filters into clauses, one per filter, each id once, ids past 2^53 as text, past 2^63 naming no group', () => {
  expect(indexQuery('customers', given(['group_id', 3n], ['groups_in', [4n, 5n, 4n, 2n ** 60n]]))?.groups).toEqual([[3], [4, 5, '1152921504606846976']]);
  expect(indexQuery('customers', given(['group_id', 2n ** 63n]))?.groups).toEqual([[]]);
});

it('turns date filters into UTC-day ranges of epoch microseconds, years below 100 included', () => {
  // Computed apart (Python's datetime): 2024-01-01 and 2024-01-02 at 00:00 UTC; 0099-12-31 and 0100-01-01.
  const [jan1, jan2, y99, y100] = [1704067200000000, 1704153600000000, -59011545600000000, -59011459200000000];
  expect(indexQuery('customers', given(['created_from', '2024-01-01']))?.times).toEqual([{ col: 0, from: jan1, to: Infinity }]);
  expect(indexQuery('customers', given(['updated_to', '2024-01-01']))?.times).toEqual([{ col: 1, from: -Infinity, to: jan2 }]);
  expect(indexQuery('customers', given(['last_login_date', '0099-12-31']))?.times).toEqual([{ col: 2, from: y99, to: y100 }]);
});
