// `rollcall compare --listen` (issue 26, shadow mode): clients are answered by the reference byte for byte, and
// rollcall's answers to the same requests are compared behind them; a slow or absent rollcall costs the clients
// nothing (the bounded queue skips instead of waiting). The reference differs on purpose (alteringReference.ts).
import { ChildProcess, spawn } from 'node:child_process';
import { TOKENS } from '../helpers/fixtures/directory';
import { eventually } from '../helpers/events';
import { freePort } from '../helpers/ownServers';
import { CLI } from '../helpers/cli';
import { AlteringReference, startAlteringReference } from '../helpers/alteringReference';
import { ComparedPair, startComparedPair } from '../helpers/comparedPair';

type Proxy = { base: string; out: () => string; stop: () => Promise<{ code: number | null; stderr: string }> };

let pair: ComparedPair;
let rollcall: string;
let reference: AlteringReference;
const admin = { authorization: `Token ${TOKENS.admin}` };
const root = (kind: string) => `/api/users/?limit=1&search=root&case=${kind}`;

async function startProxy(candidate: string, ...extra: string[]): Promise<Proxy> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [CLI, 'compare', '--listen', String(port), '--reference', reference.base, '--candidate', candidate, ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.once('exit', r));
  const base = `http://127.0.0.1:${port}`;
  await eventually(async () => ((await fetch(`${base}/__compare/metrics`).catch(() => undefined))?.status === 200 ? true : undefined), 15_000, `the proxy to listen (${stderr})`);
  return { base, out: () => stdout, stop: async () => (child.kill('SIGTERM'), { code: await exited, stderr }) };
}

const metric = async (p: Proxy, line: string) => eventually(async () => ((await (await fetch(`${p.base}/__compare/metrics`)).text()).split('\n').includes(line) ? true : undefined), 10_000, line);
const answer = async (base: string, target: string, init: RequestInit = {}) => {
  const started = Date.now();
  const r = await fetch(`${base}${target}`, { headers: admin, redirect: 'manual', ...init });
  return { status: r.status, type: r.headers.get('content-type'), location: r.headers.get('location'), body: await r.text(), ms: Date.now() - started };
};

beforeAll(async () => {
  pair = await startComparedPair();
  ({ rollcall, reference } = pair);
}, 60_000);
afterAll(() => pair?.close());

it("answers clients with the reference's answers, and records how rollcall's differ", async () => {
  const proxy = await startProxy(rollcall);
  const asked: Array<[string, RequestInit?]> = [[root('same')], [root('value')], [root('online')], ['/api/users?limit=1&case=same'], ['/api/schema'], ['/api/users/', { method: 'POST' }]];
  for (const [target, init] of asked) {
    const { ms: _a, ...direct } = await answer(reference.base, target, init);
    const { ms: _b, ...proxied } = await answer(proxy.base, target, init);
    expect(proxied).toEqual(direct);
  }
  await metric(proxy, 'rollcall_compare_shadow_total{outcome="identical"} 2'); // 'same', and the 301 with its Location
  await metric(proxy, 'rollcall_compare_shadow_total{outcome="different"} 1');
  await metric(proxy, 'rollcall_compare_shadow_total{outcome="online_only"} 1');
  await metric(proxy, 'rollcall_compare_shadow_skipped_total{reason="other path"} 1');
  await metric(proxy, 'rollcall_compare_shadow_skipped_total{reason="other method"} 1');
  const findings = proxy.out().trim().split('\n').map((l) => JSON.parse(l) as { outcome: string; target: string; differences: unknown[] });
  expect(findings.map((f) => [f.outcome, f.target])).toEqual([['different', root('value')], ['online-only', root('online')]]);
  expect(findings[0]!.differences).toEqual([{ path: '$.results[0].username', kind: 'value', reference: 'rooT', candidate: 'root' }]);
  const report = await (await fetch(`${proxy.base}/__compare/report`)).json() as { total: unknown; skipped: unknown };
  expect(report.total).toEqual({ requests: 4, identical: 2, different: 1, onlineOnly: 1, failed: 0 });
  expect(report.skipped).toEqual({ 'other path': 1, 'other method': 1 });
  const stopped = await proxy.stop();
  expect(stopped.code).toBe(1);
  expect(stopped.stderr).toMatch(/compared 4 requests: 2 identical, 1 different, 1 differing only in is_online/);
  expect(`${proxy.out()}${stopped.stderr}`).not.toContain(TOKENS.admin);
});

it('never slows a client for a slow rollcall: the full queue skips', async () => {
  const slow = await startAlteringReference(rollcall, 3_000);
  const proxy = await startProxy(slow.base, '--concurrency', '1', '--queue', '2');
  try {
    for (let i = 0; i < 8; i++) expect((await answer(proxy.base, `/api/customers?offset=${i}`)).ms).toBeLessThan(1_000);
    // One taken by the worker, two waiting, the five others skipped.
    await metric(proxy, 'rollcall_compare_shadow_skipped_total{reason="queue full"} 5');
  } finally {
    await proxy.stop();
    await slow.close();
  }
});

it('never fails a client for an absent rollcall: counted as failed', async () => {
  const proxy = await startProxy(`http://127.0.0.1:${await freePort()}`);
  try {
    for (const target of [root('same'), '/api/customers']) expect((await answer(proxy.base, target)).status).toBe(200);
    await metric(proxy, 'rollcall_compare_shadow_total{outcome="failed"} 2');
  } finally {
    await proxy.stop();
  }
});
