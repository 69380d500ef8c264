// How `rollcall api`'s HTTP processes start (services/api/cluster/workers.ts): forked before the primary has
// migrated, they listen only once it answered their hello, so the port refuses rather than holds a request the
// primary cannot answer yet; and a metrics scrape while one starts again asks only those that said hello, as a
// process still loading its modules drops what it is sent (the scrape once waited 5 s on it and failed).
import http from 'node:http';
import pg from 'pg';
import { ProjectedApp, projectedHistory } from '../helpers/projectedApp';
import { spawnApiProcesses, startApiProcesses } from '../helpers/apiProcesses';
import { eventually } from '../helpers/events';
import { generateHistory } from '../helpers/historyGenerator';
import { MIGRATION_LOCK } from '../../projections/migrate';

const history = generateHistory({ seed: 5, users: 40, groups: 3, idBase: 1, idStride: 1 });
const auth = { authorization: `Token ${history.adminToken}` };

let t: ProjectedApp;
beforeAll(async () => {
  t = await projectedHistory(history.messages);
}, 120_000);
afterAll(() => t?.closeAll());

/** What a connection to `base` meets: refused, or an HTTP status. */
const knock = (base: string) => fetch(`${base}/readyz`).then((r) => String(r.status), (e: { cause?: { code?: string } }) => e.cause?.code ?? 'failed');

it('listens only once the primary has migrated: until then the port refuses; one killed meanwhile is started again', async () => {
  // The migration's lock held here: the primary waits for it, as it would behind another process migrating.
  const lock = new pg.Client({ connectionString: t.config.databaseUrl });
  await lock.connect();
  await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
  const api = await spawnApiProcesses(t.env);
  try {
    await eventually(async () => (api.httpPids().length === 2 ? true : undefined), 10_000, 'two HTTP processes forked');
    // Their start takes well under a second of CPU; three seconds of knocking find the port shut throughout.
    const met = new Set<string>();
    for (const end = Date.now() + 3_000; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) met.add(await knock(api.base));
    expect([...met]).toEqual(['ECONNREFUSED']);
    // One killed before it listened (the OOM killer, an operator) is started again; the API does not stop, as it
    // does when one gives up by itself before it listens (servingProcesses.test.ts, the port taken).
    const [killed] = api.httpPids();
    process.kill(killed as number, 'SIGKILL');
    await eventually(async () => (api.httpPids().filter((pid) => pid !== killed).length === 2 ? true : undefined), 10_000, 'another HTTP process forked');
    await lock.end();
    await api.ready();
    await eventually(async () => ((await serving(api.base)) === 2 ? true : undefined), 10_000, 'both HTTP processes to listen');
    const res = await fetch(`${api.base}/api/customers`, { headers: auth });
    expect(res.status).toBe(200);
  } finally {
    await lock.end().catch(() => undefined);
    await api.stop();
  }
}, 60_000);

it('answers a metrics scrape at once as an HTTP process dies and while another starts, from those that said hello', async () => {
  const api = await startApiProcesses(t.env);
  // One connection, kept: every scrape goes to the process that holds it, never to the one killed.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    await eventually(async () => ((await serving(api.base)) === 2 ? true : undefined), 10_000, 'both HTTP processes to listen');
    const first = await scrape(api.base, agent);
    const holder = api.ownerOf(first.port);
    const [killed] = api.httpPids().filter((pid) => pid !== holder);
    expect({ status: first.status, holder: typeof holder, killed: typeof killed }).toEqual({ status: 200, holder: 'number', killed: 'number' });
    process.kill(killed as number, 'SIGKILL');
    // Asked at once, before the primary has heard of the death; then on, while another is forked a second
    // after it and starts (about as long again before it says hello).
    const scrapes: Scrape[] = [];
    for (const end = Date.now() + 4_000; Date.now() < end;) scrapes.push(await scrape(api.base, agent));
    expect(scrapes.filter((s) => s.status !== 200 || s.ms > 1_000 || s.port !== first.port)).toEqual([]);
    expect(api.httpPids().filter((pid) => pid !== holder && pid !== killed)).toHaveLength(1);
    await eventually(async () => ((await serving(api.base)) === 2 ? true : undefined), 10_000, 'the new HTTP process to listen');
  } finally {
    agent.destroy();
    await api.stop();
  }
}, 60_000);

/** What the API's gauge says of its HTTP processes serving. */
const serving = async (base: string) => Number(/^rollcall_api_http_processes (\d+)$/m.exec(await (await fetch(`${base}/metrics`)).text())?.[1]);

type Scrape = { status: number; ms: number; port: number };

/** GET /metrics over `agent`'s connection: its status, how long it took, the connection's local port. */
function scrape(base: string, agent: http.Agent): Promise<Scrape> {
  const started = Date.now();
  return new Promise((resolve) => {
    const req = http.get(`${base}/metrics`, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: Date.now() - started, port: req.socket?.localPort ?? 0 }));
    });
    req.setTimeout(10_000, () => req.destroy());
    req.on('error', () => resolve({ status: 0, ms: Date.now() - started, port: 0 }));
  });
}
