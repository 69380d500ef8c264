// Issue 27, hole 1: METRICS_PORT serves /metrics on a port of its own, so that it need not be exposed with the
// API: on `rollcall api` with two HTTP processes, the primary serves it there, everyone added up, and PORT no
// longer serves it.
import { createTestEnv, TestEnv } from '../helpers/testEnv';
import { spawnApiProcesses } from '../helpers/apiProcesses';
import { freePort } from '../helpers/ownServers';
import { eventually } from '../helpers/events';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(() => env?.close());

it('serves /metrics on METRICS_PORT, every process added up, and not on PORT', async () => {
  const metricsPort = await freePort();
  const api = await spawnApiProcesses({ ...env.env, METRICS_PORT: String(metricsPort) }, 2);
  try {
    const scrape = async () => {
      const res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`).catch(() => null);
      return res === null ? null : { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
    };
    const both = await eventually(async () => {
      const s = await scrape();
      return s !== null && /^rollcall_api_http_processes 2$/m.test(s.text) && /^rollcall_api_in_memory_index_loaded 1$/m.test(s.text) ? s : undefined;
    }, 60_000, 'both HTTP processes and the index, on METRICS_PORT');
    expect(both.status).toBe(200);
    expect(both.type).toMatch(/^text\/plain/);
    expect(both.text).toMatch(/^rollcall_blocked_users 0$/m);
    await eventually(async () => ((await fetch(`${api.base}/healthz`).catch(() => null))?.status === 200 ? true : undefined), 30_000, 'the API to listen');
    const onApiPort = await fetch(`${api.base}/metrics`);
    expect(onApiPort.status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${metricsPort}/api/users/`)).status).toBe(404);
  } finally {
    await api.stop();
  }
}, 90_000);
