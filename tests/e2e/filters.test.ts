// api.md, "Query parameters": every parameter alone and in combinations, through Kafka, PostgreSQL and the
// API, against what the reference fold and predicates written here say (never the service's own SQL).
import request from 'supertest';
import { createProjectedApp, ProjectedApp } from '../helpers/projectedApp';
import { eventually, publish, event } from '../helpers/events';
import { generateHistory } from '../helpers/historyGenerator';
import { drfTime, OrderTerm, RefUser, ReferenceFold } from '../helpers/referenceFold';

const history = generateHistory({ seed: 21, users: 500, groups: 30 });
const fold = new ReferenceFold();
history.messages.forEach((m, i) => !m.poison && fold.apply(i, JSON.parse(m.value)));
// A few users whose text exercises search: LIKE wildcards and a non-ASCII letter.
const extra = [
  event('user:900001', 'user.registered', 1, { username: 'per%cent_under', first_name: 'Élodie', email: 'x\\y@example.com' }, '2025-07-01T00:00:00Z'),
];
extra.forEach((e, i) => fold.apply(history.messages.length + i, JSON.parse(e.value)));

let t: ProjectedApp;
beforeAll(async () => {
  t = await createProjectedApp();
  await t.startProjector();
  await publish(t.kafka, t.config.topics.events, [...history.messages, ...extra]);
  await t.waitForOffsets(history.messages.length + extra.length);
  const { rows } = await t.db.raw('select datcollate from pg_database where datname = current_database()');
  expect(['C', 'C.UTF-8', 'C.utf8', 'POSIX']).toContain(rows[0].datcollate); // the expectations below sort bytewise
  await get('/api/users/');
  await eventually(async () => ((await t.online.online([String(history.adminId)])).size === 1 ? true : undefined));
}, 120_000);
afterAll(() => t?.closeAll());

const get = (path: string) => request(t.app.callback()).get(path).set('Authorization', `Token ${history.adminToken}`);
const filled = (s: string | null) => s !== null && s !== '';
const utcDate = (ts: string | null) => (ts === null ? null : (drfTime(ts) as string).slice(0, 10));
const users = () => [...fold.users.values()].filter((u) => !u.deleted);
const sortedDates = (pick: (u: RefUser) => string | null) => users().map((u) => utcDate(pick(u))).filter((d): d is string => d !== null).sort();
const midDate = (pick: (u: RefUser) => string | null) => sortedDates(pick)[Math.floor(sortedDates(pick).length / 2)] as string;
const liveGroup = [...fold.groups.values()].find((g) => !g.deleted && users().some((u) => u.groups.has(g.id)))!.id;
const deadGroup = [...fold.groups.values()].find((g) => g.deleted)!.id;
const otherGroup = [...fold.groups.values()].filter((g) => !g.deleted)[3]!.id;
const someId = users()[250]!.id;
const contains = (u: RefUser, term: string) =>
  [String(u.id), u.username, u.mobile_number, u.email, u.first_name, u.last_name].some((f) => f !== null && f.toUpperCase().includes(term.toUpperCase()));

type Case = [qs: string, where: (u: RefUser) => boolean, order?: OrderTerm[]];
const all = () => true;
const cases: Case[] = [
  ['', all],
  ['has_email=true', (u) => filled(u.email)],
  ['has_email=False', (u) => !filled(u.email)],
  ['has_avatar=1', (u) => filled(u.avatar)],
  ['has_phone=0', (u) => !filled(u.mobile_number)],
  ['has_first_name=TRUE', (u) => filled(u.first_name)],
  ['has_last_name=false', (u) => !filled(u.last_name)],
  ['has_token=true', (u) => u.token !== null],
  ['has_token=false', (u) => u.token === null],
  ['is_active=false', (u) => !u.is_active],
  ['is_profile_completed=true', (u) => [u.first_name, u.last_name, u.email, u.mobile_number, u.gender].every(filled)],
  ['is_online=true', (u) => u.id === history.adminId],
  ['is_online=false', (u) => u.id !== history.adminId],
  ['gender=male', (u) => u.gender === 'male'],
  ['gender=FeMale', (u) => u.gender === 'female'],
  [`group_id=${liveGroup}`, (u) => u.groups.has(liveGroup)],
  [`group_id=${deadGroup}`, () => false],
  ['group_id=999999999', () => false],
  [`groups_in=${liveGroup},,${otherGroup}`, (u) => u.groups.has(liveGroup) || u.groups.has(otherGroup)],
  [`groups_in=${deadGroup}`, () => false],
  [`id_min=${someId}`, (u) => u.id >= someId],
  [`id_max=+${someId}`, (u) => u.id <= someId],
  [`id_min=%20${someId - 50}&id_max=${someId}%20`, (u) => u.id >= someId - 50 && u.id <= someId],
  [`created_date=${midDate((u) => u.created_at)}`, (u) => utcDate(u.created_at) === midDate((x) => x.created_at)],
  [`created_from=${midDate((u) => u.created_at)}`, (u) => utcDate(u.created_at)! >= midDate((x) => x.created_at)],
  [`created_to=${midDate((u) => u.created_at)}`, (u) => utcDate(u.created_at)! <= midDate((x) => x.created_at)],
  [`updated_date=${midDate((u) => u.updated_at)}`, (u) => utcDate(u.updated_at) === midDate((x) => x.updated_at)],
  [`updated_from=${midDate((u) => u.updated_at)}&updated_to=${midDate((u) => u.updated_at)}`, (u) => utcDate(u.updated_at) === midDate((x) => x.updated_at)],
  [`last_login_date=${midDate((u) => u.last_login)}`, (u) => utcDate(u.last_login) === midDate((x) => x.last_login)],
  [`last_login_from=${midDate((u) => u.last_login)}`, (u) => u.last_login !== null && utcDate(u.last_login)! >= midDate((x) => x.last_login)],
  [`last_login_to=${midDate((u) => u.last_login)}`, (u) => u.last_login !== null && utcDate(u.last_login)! <= midDate((x) => x.last_login)],
  ['search=user1', (u) => contains(u, 'user1')],
  ['search=USER1%20example', (u) => contains(u, 'user1') && contains(u, 'example')],
  ['search=ada,%20hopper', (u) => contains(u, 'ada') && contains(u, 'hopper')],
  [`search=${someId}`, (u) => contains(u, String(someId))],
  ['search=%25', (u) => contains(u, '%')],
  ['search=_', (u) => contains(u, '_')],
  ['search=%5C', (u) => contains(u, '\\')],
  ['search=élodie', (u) => contains(u, 'élodie')],
  ['search=%20,%20', all],
  // What a Django writer publishes: other scripts (PostgreSQL's upper() folds the case), +tags in emails.
  ['search=%D0%B0%D0%BD%D0%BD%D0%B0', (u) => contains(u, 'анна')],
  ['search=%CF%83%CE%BF%CF%86%CE%AF%CE%B1', (u) => contains(u, 'σοφία')],
  ['search=%2Bnews', (u) => contains(u, '+news')],
  // More terms than are written inline (filters.ts): the same rule through one array parameter.
  ['search=u%20s%20e%20r%20e%20x%20a%20m%20p%20l', (u) => [...'userexampl'].every((c) => contains(u, c))],
  ['search=user%20use%20ser%20er%20USER%20a%20m%20p%20l%20e%20_', (u) => ['user', 'USER', 'a', 'm', 'p', 'l', 'e', '_'].every((c) => contains(u, c))],
  ['ordering=username', all, [['username', false]]],
  ['ordering=-username', all, [['username', true]]],
  ['ordering=email', all, [['email', false]]],
  ['ordering=-email,gender', all, [['email', true], ['gender', false]]],
  ['ordering=gender,-id', all, [['gender', false], ['id', true]]],
  ['ordering=last_login', all, [['last_login', false]]],
  ['ordering=-last_login', all, [['last_login', true]]],
  ['ordering=created_at', all, [['created_at', false]]],
  ['ordering=-updated_at', all, [['updated_at', true]]],
  ['ordering=id', all, [['id', false]]],
  ['ordering=-id', all, [['id', true]]],
  ['ordering=password,-username', all, [['username', true]]],
  ['ordering=nonsense', all],
  ['has_email=true&gender=female&ordering=-username', (u) => filled(u.email) && u.gender === 'female', [['username', true]]],
  ['search=user&is_active=true&has_token=true&ordering=last_login', (u) => contains(u, 'user') && u.is_active && u.token !== null, [['last_login', false]]],
  [`groups_in=${liveGroup},${otherGroup}&has_phone=true&id_min=${someId}`, (u) => (u.groups.has(liveGroup) || u.groups.has(otherGroup)) && filled(u.mobile_number) && u.id >= someId],
  ['gender=male&gender=other', (u) => u.gender === 'other'],
  ['gender=male&gender=', all],
  ['unknown=1&has_email', all],
];
const usersOnly: Case[] = [
  ['is_admin=true', (u) => u.is_admin],
  ['is_staff=false', (u) => !u.is_staff],
  ['is_customer=false', all],
  ['is_customer=true', () => false],
  ['is_staff=true&is_admin=false&ordering=-email', (u) => u.is_staff && !u.is_admin, [['email', true]]],
];

describe.each([
  ['/api/customers', 'customers', [...cases, ['is_admin=true', all] as Case]],
  ['/api/users/', 'staff', [...cases, ...usersOnly]],
] as const)('%s', (path, audience, table) => {
  it.each(table.map((c) => [c[0] || '(no parameters)', c] as const))('?%s', async (_, [qs, where, order]) => {
    const expected = fold.expectedObjects(audience, (u) => where(fold.users.get(u.id)!), order);
    const res = await get(`${path}?${qs}&limit=1000`.replace('?&', '?'));
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text);
    expect(body.count).toBe(expected.length);
    expect(body.results.map(({ is_online: _o, ...rest }: Record<string, unknown>) => rest)).toEqual(expected);
  });
});

it('pages a filtered, ordered list without overlap: every page joined is the whole list', async () => {
  const qs = 'has_email=true&ordering=gender';
  const expected = fold.expectedObjects('customers', (u) => filled(u.email), [['gender', false]]).map((o) => o.id);
  const seen: unknown[] = [];
  for (let offset = 0; offset < expected.length; offset += 7) {
    const body = JSON.parse((await get(`/api/customers?${qs}&limit=7&offset=${offset}`)).text);
    expect(body.count).toBe(expected.length);
    seen.push(...body.results.map((r: { id: number }) => r.id));
  }
  expect(seen).toEqual(expected);
});

// A date filter whose matches sit at the far end of the ordering's index is read filter-first and cut to the
// page (plan/planner.ts, walksTheWrongEnd): small pages at several offsets, in both directions.
it.each([
  [`updated_to=${midDate((u) => u.updated_at)}`, (u: RefUser) => utcDate(u.updated_at)! <= midDate((x) => x.updated_at), [] as OrderTerm[]],
  [`created_from=${midDate((u) => u.created_at)}&ordering=last_login`, (u: RefUser) => utcDate(u.created_at)! >= midDate((x) => x.created_at), [['last_login', false]] as OrderTerm[]],
  [`last_login_to=${midDate((u) => u.last_login)}&ordering=-id`, (u: RefUser) => u.last_login !== null && utcDate(u.last_login)! <= midDate((x) => x.last_login), [['id', true]] as OrderTerm[]],
])('pages ?%s filter-first, page by page', async (qs, where, order) => {
  const expected = fold.expectedObjects('customers', where, order).map((o) => o.id);
  expect(expected.length).toBeGreaterThan(20);
  for (const offset of [0, 5, expected.length - 3]) {
    const body = JSON.parse((await get(`/api/customers?${qs}&limit=5&offset=${offset}`)).text);
    expect({ offset, ids: body.results.map((r: { id: number }) => r.id) }).toEqual({ offset, ids: expected.slice(offset, offset + 5) });
  }
});
