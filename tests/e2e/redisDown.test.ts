// Redis unavailable (issue 5): the API keeps serving. Without an is_online filter: 200, is_online false and a
// Warning header; with one: 503. /readyz names Redis. All of it recovers by itself when Redis is back.
// The test runs its own redis-server on another port, so the Redis other tests use is never stopped.
import { spawn, ChildProcess } from 'node:child_process';
import request from 'supertest';
import { createApp } from '../../services/api/app';
import { OnlineStore } from '../../shared/activity/onlineStore';
import { createRedis, redisReady } from '../../shared/redis';
import { projectedDirectory, ProjectedApp } from '../helpers/projectedApp';
import { TOKENS } from '../helpers/fixtures/directory';
import { eventually } from '../helpers/events';
import { freePort } from '../helpers/ownServers';

let t: ProjectedApp;
let redis: ChildProcess | undefined;
let port: number;

const startRedis = () => {
  redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
};
const stopRedis = () => new Promise<void>((resolve) => {
  redis!.once('exit', () => resolve());
  redis!.kill('SIGKILL');
});

beforeAll(async () => {
  t = await projectedDirectory();
  port = await freePort();
  startRedis();
});
afterAll(async () => {
  redis?.kill('SIGKILL');
  await t?.closeAll();
});

it('degrades while Redis is down and recovers when it is back', async () => {
  const client = createRedis(`redis://127.0.0.1:${port}/0`);
  await redisReady(client);
  const app = createApp({ db: t.db, redis: client, online: new OnlineStore(client, 'rc:', 300, (err) => t.logger.debug({ err }, 'could not record token activity')), metrics: t.metrics, logger: t.logger, maxPageSize: 1000, trustProxy: false, inMemorySearch: true });
  const get = (path: string) => request(app.callback()).get(path).set('Authorization', `Token ${TOKENS.admin}`);
  try {
    expect((await get('/api/users/')).headers.warning).toBeUndefined();
    await stopRedis();

    const page = await get('/api/users/');
    expect(page.status).toBe(200);
    expect(page.headers.warning).toBe('199 rollcall "online status unavailable"');
    expect(JSON.parse(page.text).results.every((u: { is_online: boolean }) => u.is_online === false)).toBe(true);
    const filtered = await get('/api/users/?is_online=true');
    expect(filtered.status).toBe(503);
    expect(filtered.text).toBe('{"detail":"Online status is temporarily unavailable."}');
    const ready = await request(app.callback()).get('/readyz');
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.text)).toEqual({ status: 'unavailable', failing: ['redis'] });

    startRedis();
    await eventually(async () => ((await request(app.callback()).get('/readyz')).status === 200 ? true : undefined), 20_000, 'redis to be back');
    // /readyz's ping answers before the online copy has read the set again (it may still time out once on the new
    // connection: CI saw one warning there): recovered means every answer whole again, within a bound.
    await eventually(async () => ((await get('/api/users/')).headers.warning === undefined ? true : undefined), 5_000, 'answers without the warning');
    const back = await get('/api/users/?is_online=true');
    expect(back.status).toBe(200);
    expect((await get('/api/users/')).headers.warning).toBeUndefined();
  } finally {
    client.disconnect();
  }
});

// Issue 16, hole 3: a Redis that accepts connections but does not answer (SIGSTOP) must degrade as a refused
// one does, within a bounded time, and commands must not pile up while it hangs.
it('degrades within a bounded time while Redis hangs, and recovers when it answers again', async () => {
  const client = createRedis(`redis://127.0.0.1:${port}/0`);
  await redisReady(client);
  const app = createApp({ db: t.db, redis: client, online: new OnlineStore(client, 'rc:', 300, (err) => t.logger.debug({ err }, 'could not record token activity')), metrics: t.metrics, logger: t.logger, maxPageSize: 1000, trustProxy: false, inMemorySearch: true });
  const get = (path: string) => request(app.callback()).get(path).set('Authorization', `Token ${TOKENS.admin}`).timeout(10_000);
  try {
    expect((await get('/api/users/')).status).toBe(200);
    redis!.kill('SIGSTOP');
    const started = Date.now();
    const pages = await Promise.all(Array.from({ length: 20 }, () => get('/api/users/')));
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(pages.map((p) => p.status)).toEqual(Array(20).fill(200));
    expect(pages.every((p) => p.headers.warning === '199 rollcall "online status unavailable"')).toBe(true);
    expect((await get('/api/users/?is_online=true')).status).toBe(503);
    // What waits in the client's queue for a Redis that does not answer does not grow with the requests.
    const queued = () => (client as unknown as { commandQueue: { toArray(): Array<{ command: { name: string } }> } }).commandQueue.toArray().map((c) => c.command.name);
    const before = queued();
    expect((await Promise.all(Array.from({ length: 50 }, () => get('/api/users/')))).every((p) => p.status === 200)).toBe(true);
    expect({ before, after: queued() }).toEqual({ before, after: before });

    redis!.kill('SIGCONT');
    await eventually(async () => ((await get('/api/users/?is_online=true')).status === 200 ? true : undefined), 20_000, 'redis to answer again');
    expect((await get('/api/users/')).headers.warning).toBeUndefined();
  } finally {
    redis!.kill('SIGCONT');
    client.disconnect();
  }
}, 60_000);

// Issue 16, hole 6: an API process keeps a copy of the online set, fed by numbered writes. Redis restarting
// empty numbers its writes from 1 again; once they pass the copy's old number, the reset must still be seen.
it('sees every user online after Redis restarts empty and its writes pass the copy\'s old position', async () => {
  const writer = createRedis(`redis://127.0.0.1:${port}/0`);
  const reader = createRedis(`redis://127.0.0.1:${port}/0`);
  await Promise.all([redisReady(writer), redisReady(reader)]);
  const noError = (err: unknown) => { throw err; };
  const writes = new OnlineStore(writer, 'mirror:', 300, noError);
  const copy = new OnlineStore(reader, 'mirror:', 300, noError);
  const now = Date.now() * 1000;
  try {
    for (let i = 0; i < 100; i++) await writes.record(new Map([[String(i + 1), now]]));
    const before = await copy.snapshot();
    expect(Array.from({ length: 100 }, (_, i) => before.has(String(i + 1)))).toEqual(Array(100).fill(true));

    await stopRedis();
    startRedis();
    await Promise.all([redisReady(writer), redisReady(reader)]);
    await eventually(async () => (await writer.ping().then(() => true, () => undefined)), 10_000, 'redis to be back');
    for (let i = 0; i < 150; i++) await writes.record(new Map([[String(i + 1001), now]]));

    const online = await copy.snapshot();
    const expected = Array.from({ length: 150 }, (_, i) => String(i + 1001));
    expect(expected.filter((id) => !online.has(id))).toEqual([]);
    expect(online.has('1')).toBe(false); // what Redis lost is not online any more
  } finally {
    writer.disconnect();
    reader.disconnect();
  }
}, 60_000);
