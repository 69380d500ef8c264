// Requests nobody hand-picked (fast-check): every parameter of both endpoints, repeated, empty, malformed and
// at the numeric edges (2^31, 2^32, 2^53, 2^63, negatives, decimals), unicode and wildcard searches, deep
// offsets, every ordering. Values are drawn from what a history holds (its ids, groups, dates and texts) as
// well as from nowhere, so that filters both match and miss.
import fc from 'fast-check';

/** What a history holds: ids as bigint (they may be past 2^53), dates as YYYY-MM-DD, texts. */
export type RequestWorld = Readonly<{ userIds: bigint[]; groupIds: bigint[]; dates: string[]; words: string[] }>;

const BOOLEANS = ['has_email', 'has_avatar', 'has_phone', 'has_first_name', 'has_last_name', 'has_token', 'is_active',
  'is_profile_completed', 'is_online', 'is_admin', 'is_staff', 'is_customer'];
const DATES = ['created_date', 'created_from', 'created_to', 'updated_date', 'updated_from', 'updated_to', 'last_login_date', 'last_login_from', 'last_login_to'];
const ORDER_FIELDS = ['id', 'username', 'email', 'gender', 'last_login', 'created_at', 'updated_at', 'password', ''];
const EDGES = ['2147483647', '2147483648', '4294967295', '4294967296', '9007199254740991', '9007199254740992', '9007199254740993',
  '9223372036854775807', '9223372036854775808', '-9223372036854775808', '-1', '0', '1', '+5', ' 7', '05', '1.0', '1.5', '1e3', 'abc', '-0'];

function number(world: RequestWorld): fc.Arbitrary<string> {
  const near = fc.constantFrom(...world.userIds).chain((id) => fc.constantFrom(String(id), String(id - 1n), String(id + 1n)));
  return fc.oneof(near, fc.constantFrom(...world.groupIds.map(String)), fc.constantFrom(...EDGES), fc.integer({ min: -10, max: 10 }).map(String));
}

function search(world: RequestWorld): fc.Arbitrary<string> {
  // Sliced by code points: half of a surrogate pair cannot be percent-encoded.
  const word = fc.constantFrom(...world.words.map((w) => Array.from(w))).chain((w) =>
    fc.tuple(fc.nat({ max: Math.max(0, w.length - 1) }), fc.integer({ min: 1, max: 6 })).map(([at, n]) => w.slice(at, at + n).join('')));
  const odd = fc.constantFrom('%', '_', '\\', 'анна', 'σοφία', 'É', '🙂', '@example', '+news', 'user', 'a', 'zzzz');
  return fc.array(fc.oneof(word, odd), { minLength: 1, maxLength: 4 }).chain((terms) =>
    fc.constantFrom(' ', ',', ' , ').map((sep) => terms.join(sep)));
}

function ordering(): fc.Arbitrary<string> {
  const term = fc.tuple(fc.boolean(), fc.constantFrom(...ORDER_FIELDS)).map(([desc, f]) => `${desc ? '-' : ''}${f}`);
  return fc.array(term, { minLength: 1, maxLength: 3 }).map((ts) => ts.join(','));
}

function pair(world: RequestWorld): fc.Arbitrary<[string, string]> {
  const date = fc.oneof(fc.constantFrom(...world.dates), fc.constantFrom('2025-13-01', '2025-02-30', 'yesterday', '0001-01-01', '9999-12-31'));
  return fc.oneof(
    { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...BOOLEANS), fc.constantFrom('true', 'false', '1', '0', 'True', 'FALSE', '', 'yes')) },
    { weight: 2, arbitrary: fc.tuple(fc.constant('gender'), fc.constantFrom('male', 'female', 'other', 'MALE', 'Female', '', 'robot')) },
    { weight: 2, arbitrary: fc.tuple(fc.constant('group_id'), number(world)) },
    { weight: 2, arbitrary: fc.tuple(fc.constant('groups_in'), fc.array(fc.oneof(number(world), fc.constant('')), { maxLength: 6 }).map((xs) => xs.join(','))) },
    { weight: 3, arbitrary: fc.tuple(fc.constantFrom('id_min', 'id_max'), number(world)) },
    { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...DATES), date) },
    { weight: 3, arbitrary: fc.tuple(fc.constant('search'), search(world)) },
    { weight: 3, arbitrary: fc.tuple(fc.constant('ordering'), ordering()) },
    { weight: 2, arbitrary: fc.tuple(fc.constant('limit'), fc.constantFrom('1', '3', '10', '100', '1000', '0', '-1', 'x', '')) },
    { weight: 2, arbitrary: fc.tuple(fc.constant('offset'), fc.oneof(fc.nat({ max: 700 }).map(String), fc.constantFrom('100000', '-5', 'x'))) },
  );
}

/** A query string of 0 to 6 parameters (repeats allowed: the last one counts), each value percent-encoded. */
export function queryString(world: RequestWorld): fc.Arbitrary<string> {
  return fc.array(pair(world), { maxLength: 6 }).map((pairs) => pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&'));
}
