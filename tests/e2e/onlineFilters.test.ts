// is_online with every ordering, other filters, search and pagination (issue 5): a third of the users are
// made online through the activity topic (token.used → rollcall's activity consumer → Redis); results,
// counts and each object's is_online equal what the reference fold and that set say.
import request from 'supertest';
import { createProjectedApp, ProjectedApp } from '../helpers/projectedApp';
import { event, eventually, publish } from '../helpers/events';
import { generateHistory } from '../helpers/historyGenerator';
import { OrderTerm, RefUser, ReferenceFold } from '../helpers/referenceFold';
import { startActivity } from '../../services/activity/consumer';
import { Running } from '../../services/projector/consumer';

const history = generateHistory({ seed: 31, users: 300, groups: 10 });
const fold = new ReferenceFold();
history.messages.forEach((m, i) => !m.poison && fold.apply(i, JSON.parse(m.value)));
const live = () => [...fold.users.values()].filter((u) => !u.deleted);
// Every third user online, and the admin (its own requests make it online).
const online = new Set([...live().filter((u) => u.id % 3 === 0).map((u) => u.id), history.adminId]);

let t: ProjectedApp;
let activity: Running;
beforeAll(async () => {
  t = await createProjectedApp();
  await t.startProjector();
  activity = await startActivity({ kafka: t.kafka, online: t.online, config: t.config, logger: t.logger });
  await publish(t.kafka, t.config.topics.events, history.messages);
  await t.waitForOffsets(history.messages.length);
  // The activity consumer starts at the log end once it has its partitions: publish until it has applied.
  const used = [...online].map((id) => event(`user:${id}`, 'token.used', undefined, {}, new Date().toISOString()));
  await eventually(async () => {
    await publish(t.kafka, t.config.topics.activity, used);
    return (await t.online.online([...online].map(String))).size === online.size ? true : undefined;
  }, 60_000, 'the activity to be applied');
}, 120_000);
afterAll(async () => {
  await activity?.stop();
  await t?.closeAll();
});

const get = (path: string) => request(t.app.callback()).get(path).set('Authorization', `Token ${history.adminToken}`);
const filled = (s: string | null) => s !== null && s !== '';
const FIELDS = ['id', 'username', 'email', 'gender', 'last_login', 'created_at', 'updated_at'] as const;

type Case = [qs: string, where: (u: RefUser) => boolean, order: OrderTerm[]];
const cases: Case[] = [
  ...FIELDS.flatMap((f): Case[] => [
    [`is_online=true&ordering=${f}`, (u) => online.has(u.id), [[f, false]]],
    [`is_online=false&ordering=-${f}`, (u) => !online.has(u.id), [[f, true]]],
  ]),
  ['is_online=true&has_email=true&gender=female', (u) => online.has(u.id) && filled(u.email) && u.gender === 'female', []],
  ['is_online=false&is_active=true&search=user', (u) => !online.has(u.id) && u.is_active && [u.username, u.email ?? '', String(u.id), u.mobile_number ?? '', u.first_name ?? '', u.last_name ?? ''].some((f) => f.toUpperCase().includes('USER')), []],
  ['is_online=true&has_token=true&ordering=-last_login', (u) => online.has(u.id) && u.token !== null, [['last_login', true]]],
  ['is_online=true&id_min=100&id_max=200', (u) => online.has(u.id) && u.id >= 100 && u.id <= 200, []],
];

describe.each([['/api/customers', 'customers'], ['/api/users/', 'staff']] as const)('%s', (path, audience) => {
  it.each(cases.map((c) => [c[0], c] as const))('?%s', async (_, [qs, where, order]) => {
    const expected = fold.expectedObjects(audience, (u) => where(fold.users.get(u.id)!), order);
    const body = JSON.parse((await get(`${path}?${qs}&limit=1000`)).text);
    expect(body.count).toBe(expected.length);
    expect(body.results.map(({ is_online: _o, ...rest }: Record<string, unknown>) => rest)).toEqual(expected);
    expect(body.results.map((r: { id: number; is_online: boolean }) => r.is_online)).toEqual(body.results.map((r: { id: number }) => online.has(r.id)));
  });
});

it('pages is_online=true without overlap, with the exact count on every page', async () => {
  const expected = fold.expectedObjects('customers', (u) => online.has(u.id), [['username', false]]).map((o) => o.id);
  expect(expected.length).toBeGreaterThan(30);
  const seen: unknown[] = [];
  for (let offset = 0; offset < expected.length; offset += 9) {
    const body = JSON.parse((await get(`/api/customers?is_online=true&ordering=username&limit=9&offset=${offset}`)).text);
    expect(body.count).toBe(expected.length);
    seen.push(...body.results.map((r: { id: number }) => r.id));
  }
  expect(seen).toEqual(expected);
});
