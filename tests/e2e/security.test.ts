// Security (issue 7): no raw token is stored or logged, no X-Powered-By, a flood of bad tokens reaches
// PostgreSQL about once per token per second (the failure cache of services/api/auth.ts), and a revoked
// admin loses access as soon as the revocation is projected (permissions are read at every request).
import { Writable } from 'node:stream';
import request from 'supertest';
import { createApp } from '../../services/api/app';
import { createLogger } from '../../shared/logger';
import { activeGeneration } from '../../projections/generations';
import { table } from '../../projections/readModel';
import { projectedDirectory, ProjectedApp } from '../helpers/projectedApp';
import { DIRECTORY_EVENTS, TOKENS } from '../helpers/fixtures/directory';
import { event, publish, sha256 } from '../helpers/events';

let t: ProjectedApp;
let logged = '';
let app: ReturnType<typeof createApp>;
let tokenLookups = 0;

beforeAll(async () => {
  t = await projectedDirectory();
  const capture = new Writable({ write: (chunk, _enc, done) => void ((logged += String(chunk)), done()) });
  const logger = createLogger('trace', { destination: capture });
  app = createApp({ db: t.db, redis: t.redis, online: t.online, metrics: t.metrics, logger, maxPageSize: 1000, trustProxy: false, inMemorySearch: true });
  t.db.on('query', (q: { sql: string }) => void (/u\.token_sha256 = (\?|\$1)/.test(q.sql) && tokenLookups++));
});
afterAll(() => t?.closeAll());

const get = (path: string, token: string) => request(app.callback()).get(path).set('Authorization', `Token ${token}`);

it('never stores or logs a raw token, and sends no X-Powered-By', async () => {
  const res = await get('/api/users/', TOKENS.admin);
  expect(res.status).toBe(200);
  expect(res.headers['x-powered-by']).toBeUndefined();
  await get('/api/users/', 'not-a-token-at-all');
  await get('/api/users/?limit=x', TOKENS.staffPlain);
  expect(logged.split('\n').length).toBeGreaterThan(3); // an access line per request, at debug
  for (const token of [...Object.values(TOKENS), 'not-a-token-at-all']) expect(logged).not.toContain(token);

  const gen = await activeGeneration(t.db);
  const { rows } = await t.db.raw(`select string_agg(u::text, '') as dump from ${table(gen.schema, 'users')} u`);
  for (const token of Object.values(TOKENS)) expect(rows[0].dump).not.toContain(token);
});

it('asks PostgreSQL about a bad token once a second, however often it is sent at once or in a row', async () => {
  const before = tokenLookups;
  const started = Date.now();
  const answers = await Promise.all(Array.from({ length: 200 }, () => get('/api/customers', 'flood-token')));
  for (let i = 0; i < 200; i++) answers.push(await get('/api/customers', 'flood-token'));
  const seconds = Math.floor((Date.now() - started) / 1000);
  expect(new Set(answers.map((a) => `${a.status} ${a.text}`))).toEqual(new Set(['401 {"detail":"Invalid token."}']));
  // One lookup, and one more for each second the flood lasted (a remembered failure expires after 1 s).
  expect(tokenLookups - before).toBeGreaterThanOrEqual(1);
  expect(tokenLookups - before).toBeLessThanOrEqual(1 + seconds);
});

it('asks again after a second, so a token issued since works', async () => {
  expect((await get('/api/customers', 'late-token')).status).toBe(401);
  await publish(t.kafka, t.config.topics.events, [event('user:1001', 'user.token_issued', 6, { token_sha256: sha256('late-token') })]);
  await t.waitForOffsets(DIRECTORY_EVENTS + 1);
  await new Promise((r) => setTimeout(r, 1_100));
  expect((await get('/api/customers', 'late-token')).status).toBe(200);
});

it('refuses a revoked admin at the first request after the revocation is projected', async () => {
  expect((await get('/api/users/', 'late-token')).status).toBe(200);
  await publish(t.kafka, t.config.topics.events, [event('user:1001', 'user.roles_changed', 7, { is_admin: false })]);
  await t.waitForOffsets(DIRECTORY_EVENTS + 2);
  const res = await get('/api/users/', 'late-token');
  expect(res.status).toBe(403);
  expect(res.text).toBe('{"detail":"You do not have permission to perform this action."}');
});
