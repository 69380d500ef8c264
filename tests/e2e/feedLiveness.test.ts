// Freshness proven, not assumed (issue 25): the API trusts what it keeps only while its change feed hears its
// own heartbeats. Through a TCP proxy of the test's own (helpers/pgProxy.ts): a LISTEN that never delivers
// (PgBouncer in transaction mode), the LISTEN connection silenced (a NAT's idle timeout), then every
// connection silenced. Each time a caller whose authentication was kept loses its right, and the API, as an
// operator runs it (an index process and two HTTP processes), must refuse it within 3 s of the commit, and
// never leave a request without an answer. Expected statuses and bodies are api.md's, by hand.
import { ApiProcesses, startApiProcesses } from '../helpers/apiProcesses';
import { event, eventually, publish } from '../helpers/events';
import { DIRECTORY_EVENTS, TOKENS } from '../helpers/fixtures/directory';
import { PgProxy, startPgProxy } from '../helpers/pgProxy';
import { ProjectedApp, projectedDirectory } from '../helpers/projectedApp';

let t: ProjectedApp;
let published = DIRECTORY_EVENTS;
const open: Array<{ api: ApiProcesses; proxy: PgProxy }> = [];

beforeAll(async () => {
  t = await projectedDirectory();
}, 60_000);
afterAll(async () => {
  for (const { api, proxy } of open) await api.stop().finally(() => proxy.close());
  await t?.closeAll();
});

/** The API, every connection of it to PostgreSQL through a proxy of this test's. */
async function apiThrough(opts: { dropNotifications?: boolean }): Promise<{ api: ApiProcesses; proxy: PgProxy }> {
  const url = new URL(t.config.databaseUrl);
  const proxy = await startPgProxy({ host: url.hostname, port: Number(url.port || 5432) }, opts);
  url.host = `127.0.0.1:${proxy.port}`;
  const api = await startApiProcesses({ ...t.env, DATABASE_URL: url.toString() }, 2);
  open.push({ api, proxy });
  return { api, proxy };
}

/** One answer, or the time it was waited for past 5 s (a hang is an answer too: status 0). */
async function ask(api: ApiProcesses, path: string, token: string): Promise<{ status: number; ms: number; retryAfter: string | null }> {
  const started = Date.now();
  const res = await fetch(`${api.base}${path}`, { headers: { Authorization: `Token ${token}` }, signal: AbortSignal.timeout(5_000) })
    .catch(() => null);
  return { status: res?.status ?? 0, ms: Date.now() - started, retryAfter: res?.headers.get('retry-after') ?? null };
}

const feedLive = async (api: ApiProcesses) => /^rollcall_api_change_feed_live 1$/m.test(await (await fetch(`${api.base}/metrics`)).text());

async function commit(...events: ReturnType<typeof event>[]): Promise<number> {
  await publish(t.kafka, t.config.topics.events, events);
  published += events.length;
  await t.waitForOffsets(published);
  return Date.now();
}

/** Asks (both HTTP processes in turn: each new connection may land on either) until `done` holds; when it first did. */
async function refusedAfter(api: ApiProcesses, path: string, token: string, done: (s: number) => boolean): Promise<number> {
  return eventually(async () => {
    const answers = await Promise.all([ask(api, path, token), ask(api, path, token), ask(api, path, token), ask(api, path, token)]);
    return answers.every((a) => done(a.status)) ? Date.now() : undefined;
  }, 10_000, `${path} to be refused`);
}

it('never trusts a LISTEN that delivers nothing: a deactivated caller is refused at once', async () => {
  const { api } = await apiThrough({ dropNotifications: true });
  expect((await ask(api, '/api/customers', TOKENS.staffPlain)).status).toBe(200);
  expect((await ask(api, '/api/customers', TOKENS.staffPlain)).status).toBe(200);
  await new Promise((r) => setTimeout(r, 2_500)); // time enough for a feed to say it listens
  expect(await feedLive(api)).toBe(false);
  const committed = await commit(event('user:1003', 'user.deactivated', 3, {}));
  const refused = await refusedAfter(api, '/api/customers', TOKENS.staffPlain, (s) => s === 401);
  expect(refused - committed).toBeLessThanOrEqual(3_000);
}, 60_000);

it('notices its LISTEN connection silenced: a caller whose roles are taken away is refused within 3 s', async () => {
  const { api, proxy } = await apiThrough({});
  await eventually(async () => ((await feedLive(api)) ? true : undefined), 10_000, 'the change feed to be live');
  for (let i = 0; i < 4; i++) expect((await ask(api, '/api/customers', TOKENS.admin)).status).toBe(200); // kept now
  proxy.blackhole('listeners');
  const committed = await commit(event('user:1001', 'user.roles_changed', 6, { is_admin: false }));
  const refused = await refusedAfter(api, '/api/customers', TOKENS.admin, (s) => s === 403);
  expect(refused - committed).toBeLessThanOrEqual(3_000);
  // It heard its beats again on a new connection.
  await eventually(async () => ((await feedLive(api)) ? true : undefined), 10_000, 'the change feed to be live again');
}, 60_000);

it('answers every request within its bound when every connection is silenced: 503 with Retry-After, never a hang', async () => {
  const { api, proxy } = await apiThrough({});
  await eventually(async () => ((await feedLive(api)) ? true : undefined), 10_000, 'the change feed to be live');
  expect((await ask(api, '/api/users/', TOKENS.staffWith1222)).status).toBe(200);
  proxy.blackhole('all');
  const answers = [];
  const started = Date.now();
  while (Date.now() - started < 5_000) answers.push(await ask(api, '/api/users/?search=ad', TOKENS.staffWith1222));
  for (const a of answers) {
    expect(a.ms).toBeLessThan(3_000);
    expect([200, 503]).toContain(a.status);
    if (a.status === 503) expect(a.retryAfter).toBe('1');
  }
  // Once the silence has lasted past the feed's bound, nothing kept is trusted: no more 200s.
  expect(answers.slice(-2).map((a) => a.status)).toEqual([503, 503]);
}, 60_000);
