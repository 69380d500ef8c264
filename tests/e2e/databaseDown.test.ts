// The API under PostgreSQL faults (issue 7): while its PostgreSQL is gone, requests get a bounded 503 in
// DRF's shape (never a hang, never a 500 with internals) and /readyz names PostgreSQL; killed sessions cost
// at most a 503 each; service comes back by itself. The cluster is this test's own (ownServers.ts).
import request from 'supertest';
import { projectedDirectory, ProjectedApp } from '../helpers/projectedApp';
import { startOwnPostgres, OwnPostgres } from '../helpers/ownServers';
import { TOKENS } from '../helpers/fixtures/directory';
import { eventually } from '../helpers/events';
import { capturingLogger } from '../helpers/logLines';
import { createApp } from '../../services/api/app';

let pgs: OwnPostgres;
let t: ProjectedApp;
const UNAVAILABLE = '{"detail":"Service temporarily unavailable, try again later."}';

beforeAll(async () => {
  pgs = await startOwnPostgres();
  t = await projectedDirectory({ DATABASE_URL: pgs.url('rollcall_down') });
}, 60_000);
afterAll(async () => {
  await t?.closeAll();
  await pgs?.destroy();
});

const get = (path: string) => request(t.app.callback()).get(path).set('Authorization', `Token ${TOKENS.admin}`);

it('answers 503 within a bounded time while PostgreSQL is down, then recovers by itself', async () => {
  expect((await get('/api/users/')).status).toBe(200);
  await pgs.stop();
  try {
    for (const path of ['/api/users/', '/api/customers?search=ada', '/api/users/?is_online=true']) {
      const started = Date.now();
      const res = await get(path);
      expect(Date.now() - started).toBeLessThan(7_000);
      expect(res.status).toBe(503);
      expect(res.text).toBe(UNAVAILABLE);
      expect(res.headers['retry-after']).toBe('1');
    }
    const ready = await request(t.app.callback()).get('/readyz');
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.text)).toEqual({ status: 'unavailable', failing: ['postgresql'] });
  } finally {
    await pgs.start();
  }
  await eventually(async () => ((await get('/api/users/')).status === 200 ? true : undefined), 20_000, 'the API to recover');
  expect((await request(t.app.callback()).get('/readyz')).status).toBe(200);
}, 60_000);

it('never answers 500 when its sessions are killed, and recovers at once', async () => {
  await get('/api/users/'); // the pool holds sessions now
  expect(await pgs.terminateSessions('rollcall_down')).toBeGreaterThan(0);
  const statuses: number[] = [];
  for (let i = 0; i < 20; i++) statuses.push((await get('/api/users/')).status);
  expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
  expect(statuses.slice(-10)).toEqual(Array(10).fill(200));
});

// Issue 16, hole 8: one line when the outage starts and one when it ends, not one per request.
it('logs an outage once, not once per request', async () => {
  const { logger, lines } = capturingLogger();
  const app = createApp({ db: t.db, redis: t.redis, online: t.online, metrics: t.metrics, logger, maxPageSize: 1000, trustProxy: false, inMemorySearch: true });
  const call = () => request(app.callback()).get('/api/users/').set('Authorization', `Token ${TOKENS.admin}`);
  expect((await call()).status).toBe(200);
  await pgs.stop();
  try {
    for (let i = 0; i < 30; i++) expect((await call()).status).toBe(503);
  } finally {
    await pgs.start();
  }
  await eventually(async () => ((await call()).status === 200 ? true : undefined), 20_000, 'the API to recover');
  const outage = lines.filter((l) => l.level >= 40);
  expect(outage.map((l) => l.msg)).toEqual(['a dependency is unavailable; requests get 503 until it is back']);
  const over = lines.filter((l) => l.msg === 'the dependency is available again');
  expect(over).toHaveLength(1);
  expect(over[0]!.failedRequests).toBeGreaterThanOrEqual(30);
}, 60_000);
