// The counters a row adds to (projections/users/counts.ts) must not depend on whether the row was loaded
// from PostgreSQL or folded from events: otherwise the deltas of a batch would not balance.
import { COUNTED_FLAGS, countDeltas, countKeys, utcDay } from '../../projections/users/counts';
import { FILTERS } from '../../services/api/listing/parse/filters';
import { UserRow } from '../../projections/users/userRow';

it.each([
  ['2026-02-21 23:20:25.5+00', '2026-02-21'],
  ['2026-02-21 23:20:25+00', '2026-02-21'],
  ['2026-02-22T01:20:25.5+02:00', '2026-02-21'],
  ['2026-02-21T23:59:59.999999+00:00', '2026-02-21'],
  ['2026-02-21T22:30:00-02:00', '2026-02-22'],
  ['2026-02-21T23:30:00-00:30', '2026-02-22'],
  ['2026-02-21T00:10:00+00:30', '2026-02-20'],
  ['2026-02-21T23:59:59-00:00', '2026-02-21'],
  ['2026-02-21T00:00:00Z', '2026-02-21'],
])('the UTC day of %s is %s', (ts, day) => expect(utcDay(ts)).toBe(day));

const row = (over: Partial<UserRow> = {}): UserRow => ({
  id: '1', version: '1', username: 'u', email: 'a@b.c', mobile_number: null, first_name: 'A', last_name: '', gender: 'other',
  avatar: null, invited_by: null, invite_code: null, is_active: true, is_staff: false, is_admin: false, is_email_verified: false,
  last_login: null, created_at: '2026-02-21 23:00:00+00', updated_at: '2026-02-22T01:30:00+02:00', token_sha256: null,
  permissions: [], group_ids: ['7', '7', '9'], deleted: false, ...over,
});

it('lists the counters of a live row', () => {
  expect(countKeys(row())).toEqual(['c:all', 'c:has_email', 'c:has_first_name', 'c:is_active', 'c:gender:other', 'c:group:7', 'c:group:9', 'c:username^u', 'c:created_at:2026-02-21', 'c:updated_at:2026-02-21']);
  expect(countKeys(row({ username: 'ü𝄞xyz' }))).toContain('c:username^ü𝄞x');
  expect(countKeys(row({ deleted: true }))).toEqual([]);
  expect(countKeys(row({ is_admin: true }))[0]).toBe('s:all');
});

it('balances: a row written in two formats of the same instants changes nothing', () => {
  const before = new Map([['1', row({ created_at: '2026-02-21 23:00:00+00' })]]);
  const after = new Map([['1', row({ created_at: '2026-02-22T01:00:00+02:00' })]]);
  expect(countDeltas(before, after, ['1']).size).toBe(0);
});

it('moves a user between audiences and days', () => {
  const before = new Map([['1', row()]]);
  const after = new Map([['1', row({ is_staff: true, updated_at: '2026-03-01T00:00:00Z' })]]);
  const d = countDeltas(before, after, ['1']);
  expect(d.get('c:all')).toBe(-1);
  expect(d.get('s:all')).toBe(1);
  expect(d.get('c:updated_at:2026-02-21')).toBe(-1);
  expect(d.get('s:updated_at:2026-03-01')).toBe(1);
});

it('has a counter for every boolean filter that claims one', () => {
  const counted = FILTERS.filter((f) => f.type === 'boolean' && f.counted !== undefined).map((f) => f.name);
  expect(counted.sort()).toEqual(Object.keys(COUNTED_FLAGS).sort());
});
