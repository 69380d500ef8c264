// Requests counted from the API's in-memory index (services/api/index/) and online set
// (shared/activity/onlineMirror.ts) stay exact as the read model and Redis change under them: the same queries
// after each third of a history, after the change log was pruned away, and after the activity stream was lost.
import request from 'supertest';
import { createProjectedApp, ProjectedApp } from '../helpers/projectedApp';
import { event, eventually, publish } from '../helpers/events';
import { generateHistory, GeneratedMessage } from '../helpers/historyGenerator';
import { drfTime, OrderTerm, RefUser, ReferenceFold } from '../helpers/referenceFold';
import { activeGeneration } from '../../projections/generations';
import { createApp } from '../../services/api/app';
import { createMetrics } from '../../shared/metrics';
import { nowMicros } from '../../shared/activity/onlineStore';

// The caller: an admin of a small history of its own (published first, so its token works throughout).
const caller = generateHistory({ seed: 7, users: 5, groups: 1, idBase: 100_000 });
const history = generateHistory({ seed: 43, users: 240, groups: 6 });
const thirds = [0, 1, 2].map((i) => history.messages.slice(Math.floor((i * history.messages.length) / 3), Math.floor(((i + 1) * history.messages.length) / 3)));
// A user whose id lies past the in-memory arrays (held in maps), found by searches, renamed in the second third.
const FAR = 2 ** 35;
thirds[0]?.push({ ...event(`user:${FAR}`, 'user.registered', 1, { username: 'far.ada', first_name: 'Ada', last_name: 'Hopper' }), poison: false });
thirds[1]?.push({ ...event(`user:${FAR}`, 'user.profile_updated', 2, { username: 'far.renamed', first_name: 'Grace' }), poison: false });

const fold = new ReferenceFold();
let folded = 0;
const foldAll = (messages: GeneratedMessage[]) => messages.forEach((m) => !m.poison && fold.apply(folded++, JSON.parse(m.value)));
const online = new Set<number>();

let t: ProjectedApp;
let published = 0;
async function publishAndWait(messages: GeneratedMessage[]): Promise<void> {
  await publish(t.kafka, t.config.topics.events, messages);
  published += messages.length;
  foldAll(messages);
  await t.waitForOffsets(published);
}
async function markOnline(ids: number[]): Promise<void> {
  await t.online.record(new Map(ids.map((id) => [String(id), nowMicros()])));
  ids.forEach((id) => online.add(id));
}

beforeAll(async () => {
  t = await createProjectedApp();
  await t.startProjector();
  await publishAndWait(caller.messages);
}, 120_000);
afterAll(async () => {
  await t?.closeAll();
});

const filled = (s: string | null) => s !== null && s !== '';
const QUERIES: Array<[path: string, qs: string, where: (u: RefUser) => boolean]> = [
  ['/api/customers', 'has_email=true&is_active=true', (u) => filled(u.email) && u.is_active],
  ['/api/customers', 'gender=female&has_phone=true&is_profile_completed=false', (u) => u.gender === 'female' && filled(u.mobile_number) && !profileCompleted(u)],
  ['/api/customers', 'has_token=true&has_avatar=true&has_first_name=true&has_last_name=false', (u) => u.token !== null && filled(u.avatar) && filled(u.first_name) && !filled(u.last_name)],
  ['/api/customers', 'is_online=true', (u) => online.has(u.id)],
  ['/api/customers', 'is_online=false', (u) => !online.has(u.id)],
  ['/api/customers', 'is_online=true&has_email=true&gender=female', (u) => online.has(u.id) && filled(u.email) && u.gender === 'female'],
  ['/api/customers', 'is_online=false&has_phone=true&gender=male', (u) => !online.has(u.id) && filled(u.mobile_number) && u.gender === 'male'],
  ['/api/customers', 'is_online=true&is_active=true&ordering=username', (u) => online.has(u.id) && u.is_active],
  ['/api/customers', 'is_online=false&id_min=50&id_max=180&has_token=true', (u) => !online.has(u.id) && u.id >= 50 && u.id <= 180 && u.token !== null],
  ['/api/customers', 'groups_in=100001,100002,100003&has_email=true', (u) => inAny(u, [100001, 100002, 100003]) && filled(u.email)],
  ['/api/customers', 'group_id=100002&groups_in=100004,100005&is_online=false', (u) => inAny(u, [100002]) && inAny(u, [100004, 100005]) && !online.has(u.id)],
  ['/api/customers', 'groups_in=100002,100006&is_online=true&ordering=-id', (u) => inAny(u, [100002, 100006]) && online.has(u.id)],
  ['/api/customers', 'created_date=2025-06-20&ordering=-id', (u) => day(u.created_at) === '2025-06-20'],
  ['/api/customers', 'created_from=2025-06-18&created_to=2025-06-24&ordering=-last_login', (u) => day(u.created_at)! >= '2025-06-18' && day(u.created_at)! <= '2025-06-24'],
  ['/api/customers', 'created_from=2025-06-18&created_to=2025-06-24&ordering=last_login', (u) => day(u.created_at)! >= '2025-06-18' && day(u.created_at)! <= '2025-06-24'],
  ['/api/customers', 'updated_to=2025-06-10', (u) => day(u.updated_at)! <= '2025-06-10'],
  ['/api/customers', 'last_login_from=2025-06-15&ordering=last_login', (u) => u.last_login !== null && day(u.last_login)! >= '2025-06-15'],
  ['/api/customers', 'created_from=2025-06-05&created_to=2025-06-12&is_active=true&ordering=updated_at,-id', (u) => day(u.created_at)! >= '2025-06-05' && day(u.created_at)! <= '2025-06-12' && u.is_active],
  ['/api/customers', 'last_login_to=2025-06-30&ordering=-last_login&is_online=false', (u) => u.last_login !== null && day(u.last_login)! <= '2025-06-30' && !online.has(u.id)],
  ['/api/customers', 'search=ada', (u) => contains(u, 'ada')],
  ['/api/customers', 'search=RENAMED', (u) => contains(u, 'renamed')],
  ['/api/customers', 'search=hopper%20example&ordering=username', (u) => contains(u, 'hopper') && contains(u, 'example')],
  ['/api/customers', 'search=gr,ce&has_email=true', (u) => contains(u, 'gr') && contains(u, 'ce') && filled(u.email)],
  ['/api/customers', 'search=new1,er1&ordering=-id', (u) => contains(u, 'new1') && contains(u, 'er1')],
  ['/api/customers', 'search=user1&created_from=2025-06-18&ordering=-last_login', (u) => contains(u, 'user1') && day(u.created_at)! >= '2025-06-18'],
  ['/api/customers', 'search=a&is_online=true', (u) => contains(u, 'a') && online.has(u.id)],
  ['/api/customers', 'search=example&is_online=false&gender=male', (u) => contains(u, 'example') && !online.has(u.id) && u.gender === 'male'],
  ['/api/customers', 'search=zqx', () => false],
  // Few matches in a timestamp order: the page is chosen in memory, the order's days read until it fills (index/dayBuckets.ts).
  ['/api/customers', 'search=renamed&ordering=-last_login', (u) => contains(u, 'renamed')],
  ['/api/customers', 'search=renamed&ordering=last_login', (u) => contains(u, 'renamed')],
  ['/api/customers', 'search=grace&is_active=true&ordering=-updated_at', (u) => contains(u, 'grace') && u.is_active],
  ['/api/customers', 'created_from=2025-06-18&created_to=2025-06-21&has_email=true&ordering=-last_login,id', (u) => day(u.created_at)! >= '2025-06-18' && day(u.created_at)! <= '2025-06-21' && filled(u.email)],
  ['/api/users/', 'search=liskov&is_staff=true', (u) => contains(u, 'liskov') && u.is_staff],
  ['/api/users/', 'is_online=true&is_admin=false', (u) => online.has(u.id) && !u.is_admin],
  ['/api/users/', 'is_staff=true&is_active=true', (u) => u.is_staff && u.is_active],
  ['/api/users/', 'is_customer=true&is_online=false', () => false],
];

/** api.md's search: the term in one of the fields, case aside. */
const contains = (u: RefUser, term: string) =>
  [String(u.id), u.username, u.mobile_number, u.email, u.first_name, u.last_name].some((f) => f !== null && f.toUpperCase().includes(term.toUpperCase()));

/** The UTC date of a timestamp as DRF shows it. */
const day = (ts: string | null) => (ts === null ? null : (drfTime(ts) as string).slice(0, 10));

/** In at least one of these groups, among those that exist. */
function inAny(u: RefUser, groups: number[]): boolean {
  return fold.visibleGroups(u).some((g) => groups.includes(g));
}

function profileCompleted(u: RefUser): boolean {
  return [u.first_name, u.last_name, u.email, u.mobile_number, u.gender].every(filled);
}

/** The ordering parameter as the reference fold's terms. */
function orderOf(qs: string): OrderTerm[] {
  const raw = /ordering=([^&]*)/.exec(qs)?.[1];
  if (raw === undefined) return [];
  return raw.split(',').map((t) => [t.replace('-', ''), t.startsWith('-')] as OrderTerm);
}

// Searches and date filters first asked after the second third changed users: counted from the trigram and day
// bitmaps built at the load and moved with every user changed since (services/api/index/searchIndex.ts,
// index/dayBuckets.ts).
const ASKED_LATE: typeof QUERIES = [
  ['/api/customers', 'updated_to=2025-06-12', (u) => day(u.updated_at)! <= '2025-06-12'],
  ['/api/customers', 'updated_from=2025-06-20&has_email=true&ordering=created_at', (u) => day(u.updated_at)! >= '2025-06-20' && filled(u.email)],
  ['/api/customers', 'last_login_from=2025-06-25&is_active=true&ordering=-id', (u) => u.last_login !== null && day(u.last_login)! >= '2025-06-25' && u.is_active],
  ['/api/customers', 'search=renamed&has_email=true', (u) => contains(u, 'renamed') && filled(u.email)],
  ['/api/customers', 'search=far.ren', (u) => contains(u, 'far.ren')],
  ['/api/customers', 'search=grace,new', (u) => contains(u, 'grace') && contains(u, 'new')],
];

async function expectAllExact(queries = QUERIES): Promise<void> {
  // The API's copy of the online set follows writes a moment behind (onlineStore.ts), longer when it must read
  // the set again (a lost stream): its own follower is waited for, then every answer must be exact.
  const onlineCustomers = fold.expectedObjects('customers', (u) => online.has(u.id), orderOf('')).length;
  await eventually(async () => {
    const res = await request(t.app.callback()).get('/api/customers?is_online=true&limit=1').set('Authorization', `Token ${caller.adminToken}`);
    return JSON.parse(res.text).count === onlineCustomers ? true : undefined;
  }, 10_000, 'the API to follow the online set');
  for (const [path, qs, where] of queries) {
    const order = orderOf(qs);
    const expected = fold.expectedObjects(path === '/api/customers' ? 'customers' : 'staff', where, order);
    const res = await request(t.app.callback()).get(`${path}?${qs}&limit=1000`).set('Authorization', `Token ${caller.adminToken}`);
    const body = JSON.parse(res.text);
    expect({ qs, count: body.count }).toEqual({ qs, count: expected.length });
    expect(body.results.map(({ is_online: _o, ...rest }: Record<string, unknown>) => rest)).toEqual(expected);
    expect(body.results.map((r: { is_online: boolean }) => r.is_online)).toEqual(body.results.map((r: { id: number }) => online.has(r.id)));
  }
}

it('counts exactly after the first third of a history', async () => {
  await publishAndWait(thirds[0] as GeneratedMessage[]);
  await markOnline([caller.adminId, ...[...fold.users.keys()].filter((id) => id % 3 === 0)]);
  await expectAllExact();
});

it('reports in /metrics how many users it loaded into memory', async () => {
  const { schema } = await activeGeneration(t.db);
  const { rows: [{ n }] } = await t.db.raw(`select count(*)::int as n from "${schema}".users`);
  const held = async () => Number(/^rollcall_api_in_memory_users (\d+)$/m.exec((await request(t.app.callback()).get('/metrics')).text)?.[1]);
  expect(await held()).toBe(n);
});

it('counts exactly after the second third: the flags follow the change log, the online set its stream', async () => {
  await publishAndWait(thirds[1] as GeneratedMessage[]);
  await markOnline([...fold.users.keys()].filter((id) => id % 5 === 0));
  await expectAllExact([...QUERIES, ...ASKED_LATE]);
});

it('counts exactly once the change log no longer reaches back and the activity stream was lost', async () => {
  const { schema } = await activeGeneration(t.db);
  await t.db.raw(`delete from "${schema}".user_changes`);
  await publishAndWait(thirds[2] as GeneratedMessage[]);
  // Written, then lost from the stream (the API's follower has usually read it by then: the copy's own reading
  // of a lost stream is proven in tests/integration/onlineMirror.test.ts).
  await markOnline([...fold.users.keys()].filter((id) => id % 7 === 0));
  await t.redis.del(`${t.config.redisPrefix}activity-changes`);
  await markOnline([...fold.users.keys()].filter((id) => id % 11 === 0));
  await expectAllExact();
});

it('pages the date queries two by two, each page the expected slice', async () => {
  for (const [path, qs, where] of QUERIES.filter(([, q]) => /_(date|from|to)=/.test(q))) {
    const expected = fold.expectedObjects(path === '/api/customers' ? 'customers' : 'staff', where, orderOf(qs)).map((o) => o.id);
    expect({ qs, enough: expected.length >= 3 }).toEqual({ qs, enough: true });
    for (const offset of [0, 1, expected.length - 2]) {
      const res = await request(t.app.callback()).get(`${path}?${qs}&limit=2&offset=${offset}`).set('Authorization', `Token ${caller.adminToken}`);
      expect({ qs, offset, ids: JSON.parse(res.text).results.map((r: { id: number }) => r.id) }).toEqual({ qs, offset, ids: expected.slice(offset, offset + 2) });
    }
  }
});

it('answers the same searches exactly with IN_MEMORY_SEARCH=false (PostgreSQL counts them)', async () => {
  const app = createApp({ db: t.db, redis: t.redis, online: t.online, metrics: createMetrics(), logger: t.logger, maxPageSize: 1000, trustProxy: false, inMemorySearch: false });
  for (const [path, qs, where] of [...QUERIES, ...ASKED_LATE].filter(([, q]) => q.includes('search='))) {
    const expected = fold.expectedObjects(path === '/api/customers' ? 'customers' : 'staff', where, orderOf(qs)).map((o) => o.id);
    for (let round = 0; round < 2; round++) {
      const body = JSON.parse((await request(app.callback()).get(`${path}?${qs}&limit=1000`).set('Authorization', `Token ${caller.adminToken}`)).text);
      expect({ qs, count: body.count, ids: body.results.map((r: { id: number }) => r.id) }).toEqual({ qs, count: expected.length, ids: expected });
    }
  }
});

it('counts exactly while a rebuild the rewritten texts ask for replaces the copy, and after', async () => {
  // Every live user renamed twice, the copy brought up to date between: old texts then fill more than half
  // the text buffer, so a request starts a load from scratch while the current copy serves (index/holder.ts).
  const { schema } = await activeGeneration(t.db);
  for (const round of ['a', 'b']) {
    // The versions the projector stored (it also counts skipped unknown types, which the fold ignores).
    const { rows } = await t.db.raw<{ rows: Array<{ id: string; version: string }> }>(`select id, version from "${schema}".users where not deleted and id < ?`, [FAR]);
    await publishAndWait(rows.map((u) => ({
      ...event(`user:${u.id}`, 'user.profile_updated', Number(u.version) + 1, { username: `${round}.${'x'.repeat(120)}.${u.id}` }),
      poison: false,
    })));
    await expectAllExact(ASKED_LATE);
  }
  for (let i = 0; i < 4; i++) {
    await expectAllExact([...QUERIES, ...ASKED_LATE]);
    await new Promise((r) => setTimeout(r, 200));
  }
});
