// The `rollcall` command as an operator runs it (the compiled CLI, as `npm start` does), on real services.
import { spawn, spawnSync, ChildProcess, execFileSync } from 'node:child_process';
import path from 'node:path';
import { createTestEnv, TestEnv } from '../helpers/testEnv';
import { eventually } from '../helpers/events';
import { freePort } from '../helpers/ownServers';

const CLI = path.join(__dirname, '../../bin/rollcall.js');
let t: TestEnv;
let port: number;
let all: ChildProcess | undefined;
let output = '';

beforeAll(async () => {
  t = await createTestEnv();
  port = await freePort();
});
afterAll(async () => {
  all?.kill('SIGKILL');
  await t?.close();
});

it('runs all roles, seeds a history, and the printed curl works as printed', async () => {
  const env = { ...t.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' };
  all = spawn(process.execPath, [CLI, 'all'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  all.stdout?.on('data', (d) => (output += d));
  all.stderr?.on('data', (d) => (output += d));
  await eventually(async () => {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
    return res?.status === 200 ? true : undefined;
  }, 30_000, `rollcall all to answer /healthz (output: ${output})`);

  const seeded = spawnSync(process.execPath, [CLI, 'seed', '--users', '40'], { env, encoding: 'utf8', timeout: 60_000 });
  expect(seeded.status).toBe(0);
  const curl = seeded.stdout.split('\n').find((l) => l.startsWith('curl '));
  expect(curl).toBeDefined();
  expect(seeded.stdout).toMatch(/^admin token: [0-9a-f]{40}$/m);

  const body = await eventually(async () => {
    const out = execFileSync('bash', ['-c', curl as string], { encoding: 'utf8' });
    const parsed = out === '' ? undefined : JSON.parse(out);
    return parsed?.count > 0 ? parsed : undefined;
  }, 30_000, 'the seeded users to be served');
  expect(Object.keys(body)).toEqual(['count', 'next', 'previous', 'results']);
  expect(body.results.length).toBeLessThanOrEqual(5);
  expect(body.results[0]).toHaveProperty('groups_data');

  // Everything the seed publishes follows the contract: nothing was dead-lettered.
  const admin = t.kafka.admin();
  await admin.connect();
  const dlq = await admin.fetchTopicOffsets(t.config.topics.dlq);
  await admin.disconnect();
  expect(dlq.map((p) => p.high)).toEqual(['0']);
});

it('stops cleanly on SIGTERM within 10 s with exit code 0', async () => {
  expect(all).toBeDefined();
  const exited = new Promise<number | null>((resolve) => all!.once('exit', (code) => resolve(code)));
  const started = Date.now();
  all!.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(output).toMatch(/"msg":"stopped"/);
});

it('serves /healthz and /metrics from a role without the API', async () => {
  const p = await freePort();
  const project = spawn(process.execPath, [CLI, 'project'], { env: { ...t.env, PORT: String(p), HOST: '127.0.0.1' }, stdio: 'ignore' });
  try {
    await eventually(async () => {
      const res = await fetch(`http://127.0.0.1:${p}/healthz`).catch(() => undefined);
      return res?.status === 200 ? true : undefined;
    }, 30_000, 'rollcall project to serve /healthz');
    const metrics = await (await fetch(`http://127.0.0.1:${p}/metrics`)).text();
    expect(metrics).toMatch(/^# HELP rollcall_/m);
    expect((await fetch(`http://127.0.0.1:${p}/api/users/`)).status).toBe(404);
  } finally {
    project.kill('SIGTERM');
  }
});

it('names an unknown command and shows the usage, exiting non-zero', () => {
  const r = spawnSync(process.execPath, [CLI, 'frobnicate'], { encoding: 'utf8' });
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/^rollcall: unknown command "frobnicate"\nusage: rollcall <command>/);
  expect(spawnSync(process.execPath, [CLI, 'toString'], { encoding: 'utf8' }).status).toBe(2);
});

it('stops at start with one line naming a bad variable', () => {
  const r = spawnSync(process.execPath, [CLI, 'api'], { env: { ...t.env, PORT: 'eighty' }, encoding: 'utf8' });
  expect(r.status).toBe(2);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/PORT/);
});

it('migrates a database that does not exist yet', () => {
  const url = new URL(t.config.databaseUrl);
  url.pathname = `${url.pathname}_cli`;
  const r = spawnSync(process.execPath, [CLI, 'migrate'], { env: { ...t.env, DATABASE_URL: url.toString() }, encoding: 'utf8' });
  expect(r.stdout).toBe('migrated; serving read-model generation 1 (gen_1)\n');
  expect(r.status).toBe(0);
});
