// `rollcall api` with HTTP on two processes and the index in a third (services/api/cluster/, issue 18), as an
// operator runs it: every answer the same as one process's (the in-process app the differential suite proves
// against PostgreSQL and the reference fold), and /metrics adding up every process. How fresh its answers are
// under load: freshness.alone.test.ts.
import { spawn } from 'node:child_process';
import { AddressInfo, createServer } from 'node:net';
import fc from 'fast-check';
import request from 'supertest';
import { ProjectedApp, projectedHistory } from '../helpers/projectedApp';
import { CLI } from '../helpers/cli';
import { ApiProcesses, startApiProcesses } from '../helpers/apiProcesses';
import { generateHistory } from '../helpers/historyGenerator';
import { historyWorld } from '../helpers/differentialSuite';
import { queryString } from '../helpers/requestArbitrary';

const history = generateHistory({ seed: 23, users: 300, groups: 8, idBase: 1, idStride: 1 });
const { world } = historyWorld(history.messages);

let t: ProjectedApp;
let api: ApiProcesses;
let base: string;

beforeAll(async () => {
  t = await projectedHistory(history.messages);
  api = await startApiProcesses(t.env);
  base = api.base;
}, 120_000);

afterAll(async () => {
  await api?.stop();
  await t?.closeAll();
});

const auth = { authorization: `Token ${history.adminToken}` };

it('answers every request as one process does, whole', async () => {
  // Both have seen the caller once, so its own is_online is the same in both.
  await fetch(`${base}/api/customers`, { headers: auth });
  await request(t.app.callback()).get('/api/customers').set(auth);
  await new Promise((r) => setTimeout(r, 300));
  const paths = fc.sample(fc.tuple(fc.constantFrom('/api/customers', '/api/users/'), queryString(world)), { numRuns: 300, seed: 18 });
  for (const [endpoint, qs] of paths) {
    const path = `${endpoint}${qs === '' ? '' : `?${qs}`}`;
    const [theirs, ours] = await Promise.all([
      // fetch may not set Host: the links' host is put back as the in-process app is asked with.
      fetch(`${base}${path}`, { headers: auth }).then(async (r) => ({ status: r.status, text: (await r.text()).replaceAll(`${base}/`, 'http://rollcall.test/') })),
      request(t.app.callback()).get(path).set(auth).set('Host', 'rollcall.test').then((r) => ({ status: r.status, text: r.text })),
    ]);
    expect({ path, ...theirs }).toEqual({ path, ...ours });
  }
});

it('adds up every process in /metrics: the index and change feed the primary holds, the requests each HTTP process served', async () => {
  const before = served(await (await fetch(`${base}/metrics`)).text());
  await Promise.all(Array.from({ length: 40 }, () => fetch(`${base}/api/customers`, { headers: auth })));
  const text = await (await fetch(`${base}/metrics`)).text();
  expect(text).toMatch(/^rollcall_api_in_memory_index_loaded 1$/m);
  expect(text).toMatch(/^rollcall_api_change_feed_live 1$/m);
  expect(served(text) - before).toBeGreaterThanOrEqual(40);
});

/** Requests answered 200 on the customers route, over every process. */
function served(metrics: string): number {
  const line = metrics.split('\n').find((l) => l.startsWith('rollcall_http_request_duration_seconds_count{') && l.includes('route="/api/customers"') && l.includes('status="200"'));
  return Number(line?.split(' ').pop() ?? 0);
}

it('stops, and says so, when its HTTP processes cannot listen (the port taken)', async () => {
  const taken = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => taken.once('listening', resolve));
  const port = (taken.address() as AddressInfo).port;
  try {
    const other = spawn(process.execPath, [CLI, 'api'], { env: { ...t.env, PORT: String(port), HOST: '127.0.0.1', API_PROCESSES: '2', LOG_LEVEL: 'error', LOG_FORMAT: 'json' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    other.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => other.once('exit', resolve));
    expect(code).toBe(1);
    expect(out).toMatch(/exited before it listened; stopping/);
  } finally {
    taken.close();
  }
}, 60_000);
