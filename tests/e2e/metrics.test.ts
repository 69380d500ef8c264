// ops.md, "Service endpoints": /metrics in Prometheus text, with figures checked against what the test did.
import request from 'supertest';
import { projectedDirectory, ProjectedApp } from '../helpers/projectedApp';
import { TOKENS } from '../helpers/fixtures/directory';
import { event, eventually, publish } from '../helpers/events';
import { activeGeneration } from '../../projections/generations';
import { createApp } from '../../services/api/app';
import { createMetrics } from '../../shared/metrics';

let t: ProjectedApp;
beforeAll(async () => {
  t = await projectedDirectory();
});
afterAll(() => t?.closeAll());

const metric = (text: string, name: string, labels = '') => {
  const line = text.split('\n').find((l) => (labels === '' ? l.startsWith(`${name} `) : l.startsWith(`${name}{`) && labels.split(',').every((p) => l.includes(p))));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
};

it('counts events by type and outcome, gaps, lag, and HTTP latency by route and status', async () => {
  await publish(t.kafka, t.config.topics.events, [
    event('user:1002', 'user.roles_changed', 3, { is_admin: true }), // a duplicate of version 3
    event('user:1003', 'user.roles_changed', 5, { is_admin: true }), // a gap (stored: 2)
    { subject: 'user:1', value: 'nope' },
  ]);
  await t.waitForOffsets(26);
  for (let i = 0; i < 3; i++) await request(t.app.callback()).get('/api/users/').set('Authorization', `Token ${TOKENS.admin}`);
  await request(t.app.callback()).get('/api/users/');

  const res = await request(t.app.callback()).get('/metrics');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain/);
  const text = res.text;
  expect(metric(text, 'rollcall_events_total', 'type="user.registered",outcome="applied"')).toBe(8);
  expect(metric(text, 'rollcall_events_total', 'type="group.created",outcome="applied"')).toBe(2);
  expect(metric(text, 'rollcall_events_total', 'type="user.roles_changed",outcome="duplicate"')).toBe(1);
  expect(metric(text, 'rollcall_events_total', 'type="invalid",outcome="dead_lettered"')).toBe(1);
  expect(metric(text, 'rollcall_event_version_gaps_total', 'type="user.roles_changed"')).toBe(1);
  expect(metric(text, 'rollcall_http_request_duration_seconds_count', 'route="/api/users/",method="GET",status="200"')).toBe(3);
  expect(metric(text, 'rollcall_http_request_duration_seconds_count', 'route="/api/users/",method="GET",status="401"')).toBe(1);
  const lags = text.split('\n').filter((l) => l.startsWith('rollcall_consumer_lag{'));
  expect(lags.length).toBeGreaterThan(0);
  expect(lags.every((l) => l.endsWith(' 0'))).toBe(true);
});

// Issue 16, hole 8: the type label comes from event data, so a publisher's bug could make one series per event.
it('labels events of types it does not know as "other": a fixed set of series whatever publishers send', async () => {
  const strange = Array.from({ length: 40 }, (_, i) => event(`user:${5000 + i}`, `user.made_up_${i}`, 1, {}));
  await publish(t.kafka, t.config.topics.events, [...strange, event('user:5100', 'user.registered', 1, { username: 'x', is_staff: 'yes' })]);
  await t.waitForOffsets(26 + strange.length + 1);
  const text = (await request(t.app.callback()).get('/metrics')).text;
  const types = new Set([...text.matchAll(/^rollcall_events_total\{type="([^"]*)"/gm)].map((m) => m[1]));
  expect([...types].filter((ty) => ty!.startsWith('user.made_up'))).toEqual([]);
  expect(metric(text, 'rollcall_events_total', 'type="other",outcome="unknown_type"')).toBe(40);
  expect(metric(text, 'rollcall_events_total', 'type="invalid",outcome="dead_lettered"')).toBe(2);
});

// Issue 17: an id past 2^53 once switched the in-memory index off for the whole generation.
it('holds every user in memory, ids past 2^53 included, and counts as PostgreSQL did before it loaded', async () => {
  const ask = () => request(t.app.callback()).get('/api/users/?is_active=true&is_staff=true').set('Authorization', `Token ${TOKENS.admin}`);
  const first = await ask();
  expect(first.status).toBe(200);
  const { schema } = await activeGeneration(t.db);
  const { rows: [{ n, big }] } = await t.db.raw(`select count(*)::int as n, count(*) filter (where id > 9007199254740992)::int as big from "${schema}".users`);
  expect(big).toBeGreaterThan(0);
  await eventually(async () => (metric((await request(t.app.callback()).get('/metrics')).text, 'rollcall_api_in_memory_users') === n ? true : undefined), 10_000, 'the index to load');
  expect(metric((await request(t.app.callback()).get('/metrics')).text, 'rollcall_api_in_memory_index_bytes')).toBeGreaterThan(0);
  expect((await ask()).text).toBe(first.text);
});

// The API role loads its index when it starts (services/roles.ts: warmIndex), not at the first request that
// wants it: by the first such request, the index answers.
it('loads the index at start when asked to, before any list request', async () => {
  const registry = createMetrics();
  createApp({ db: t.db, redis: t.redis, online: t.online, metrics: registry, logger: t.logger, maxPageSize: 1000, trustProxy: false, inMemorySearch: true, warmIndex: true });
  const loaded = async () => ((await registry.inMemoryLoaded.get()).values[0]?.value === 1 ? true : undefined);
  await eventually(loaded, 10_000, 'the index to load without a request');
  const { schema } = await activeGeneration(t.db);
  const { rows: [{ n }] } = await t.db.raw(`select count(*)::int as n from "${schema}".users`);
  expect((await registry.inMemoryUsers.get()).values[0]?.value).toBe(n);
});
