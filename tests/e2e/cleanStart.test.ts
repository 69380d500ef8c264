// Issue 19: a normal first start (a broker just started, new topics, a new database) logs nothing at warn or
// error, and LOG_FORMAT=pretty (what a terminal gets by default) gives readable lines, not JSON. The broker
// is this test's own, fresh, so its group coordinator is still loading when rollcall starts.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { startOwnKafka, OwnKafka, freePort } from '../helpers/ownServers';
import { eventually } from '../helpers/events';
import { databaseUrlFor, runId } from '../helpers/runEnv';

const CLI = path.join(__dirname, '../../bin/rollcall.js');
let broker: OwnKafka;
beforeAll(async () => {
  broker = await startOwnKafka();
}, 120_000);
afterAll(() => broker?.destroy(), 60_000);

async function startAndStop(format: 'json' | 'pretty'): Promise<string> {
  const port = await freePort();
  const unique = randomBytes(4).toString('hex');
  const child = spawn(process.execPath, [CLI, 'all'], {
    env: { ...process.env, KAFKA_BROKERS: broker.brokers, DATABASE_URL: databaseUrlFor(`rollcall_test_${runId()}_clean_${unique}`), REDIS_PREFIX: `rollcall:test:${runId()}:clean:${unique}:`,
      PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', LOG_FORMAT: format, KAFKA_GROUP_ID: `clean-${unique}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  await eventually(async () => ((await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.status === 200 ? true : undefined), 60_000, 'rollcall to be ready');
  await new Promise((r) => setTimeout(r, 5_000)); // the consumers join their groups meanwhile
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
  return out;
}

it('logs nothing at warn or error on a first start against a fresh broker', async () => {
  const lines = (await startAndStop('json')).split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { level: number; msg: string });
  expect(lines.map((l) => l.msg)).toContain('api listening');
  expect(lines.filter((l) => l.level >= 40)).toEqual([]);
}, 120_000);

it('prints readable lines with LOG_FORMAT=pretty', async () => {
  const lines = (await startAndStop('pretty')).split('\n').filter((l) => l !== '');
  expect(lines.some((l) => /INFO.*api listening/.test(l))).toBe(true);
  expect(lines.filter((l) => l.startsWith('{'))).toEqual([]);
}, 120_000);
