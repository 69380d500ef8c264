// npm run bench:soak -- [--seconds 300] [--connections 4] [--users 20000] [--rate 1000]
// Five minutes of mixed queries at a fixed concurrency (autocannon) against the API as its own process,
// while the projector and the activity consumer (each its own process) take a stream of events (--rate
// user events/s plus as many token.used). Every 15 s: requests, errors, p50/p99 and each role's resident
// memory. Targets (issue 7): 0 errors, p99 and memory flat.
import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { argNumber, createProducer, fmt, openBench, percentile, publishAll, waitForIndex } from './kit';
import { benchGroupEvents, benchUserEvents, tokenUsed } from './benchHistory';
import { QUERY_MIX } from './queryMix';
import { createHash } from 'node:crypto';

const CLI = path.join(__dirname, '../services/cli.js');
const INTERVAL_S = 15;
const ADMIN_ID = 999_999_999;

const ownRssMb = (pid: number) => {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line?.replace(/\D/g, '') ?? 0) / 1024;
};
/** A role's memory: its process and the processes it forked (the API's HTTP processes, services/api/cluster/). */
const rssMb = (pid: number | undefined) => {
  if (pid === undefined) return 0;
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter((c) => c !== '').map(Number);
  return [pid, ...children].reduce((mb, p) => mb + ownRssMb(p), 0);
};
const ADMIN = `user:${ADMIN_ID}`;
const adminEvent = (version: number, type: string, data: Record<string, unknown>) => ({
  key: ADMIN,
  value: JSON.stringify({ specversion: '1.0', id: `soak-admin-${version}`, source: '/bench', type, subject: ADMIN, time: '2024-01-01T00:00:00Z', aggregateversion: version, data }),
});
const adminEvents = () => [
  adminEvent(1, 'user.registered', { username: 'soak-admin', is_admin: true }),
  adminEvent(2, 'user.token_issued', { token_sha256: createHash('sha256').update('soak-admin-token').digest('hex') }),
];
const used = (id: number) => tokenUsed(id, new Date().toISOString(), `a${id}-${Date.now()}`);

async function main(): Promise<void> {
  const seconds = argNumber('seconds', 300);
  const connections = argNumber('connections', 4);
  const users = argNumber('users', 20_000);
  const rate = argNumber('rate', 1_000);
  const bench = await openBench('soak');
  const { config } = bench;
  const port = 19_000 + Math.floor(Math.random() * 500);
  const env = { ...process.env, DATABASE_URL: config.databaseUrl, EVENTS_TOPIC: config.topics.events, ACTIVITY_TOPIC: config.topics.activity, DLQ_TOPIC: config.topics.dlq, KAFKA_GROUP_ID: config.kafka.groupId, LOG_LEVEL: 'warn' };
  const role = (name: string, p: number) => spawn(process.execPath, [CLI, name], { env: { ...env, PORT: String(p), HOST: '127.0.0.1' }, stdio: ['ignore', 'ignore', 'inherit'] });
  const producer = createProducer(bench.kafka);
  await producer.connect();
  const children: Record<string, ChildProcess> = {};
  try {
    await publishAll(producer, config.topics.events, [...benchGroupEvents(20), ...adminEvents(), ...benchUserEvents(1, users + 1, 20)]);
    children.api = role('api', port);
    children.project = role('project', port + 1);
    children.activity = role('activity', port + 2);
    await waitFor(`http://127.0.0.1:${port}/api/customers`, 120);
    await waitForIndex(`http://127.0.0.1:${port}`, Date.now());
    process.stderr.write(`soak: ${fmt(users)} users projected; ${seconds} s of load begins\n`);

    let next = users + 1;
    const stream = setInterval(() => {
      const from = next;
      next += Math.ceil(rate / 7.5 / 10);
      const activity = Array.from({ length: Math.ceil(rate / 10) }, () => used(1 + Math.floor(Math.random() * (next - 1))));
      void publishAll(producer, config.topics.events, benchUserEvents(from, next, 20)).then(() => publishAll(producer, config.topics.activity, activity));
    }, 100);
    const rows = await load(port, seconds, connections, children);
    clearInterval(stream);
    print(rows, { seconds, connections, users, rate, streamedUsers: next - users - 1 });
  } finally {
    for (const c of Object.values(children)) c.kill('SIGTERM');
    await producer.disconnect();
    await bench.cleanup();
  }
}

async function waitFor(url: string, seconds: number): Promise<void> {
  let last = 'no answer';
  for (let i = 0; i < seconds * 5; i++) {
    last = await fetch(url, { headers: { authorization: 'Token soak-admin-token' } }).then((r) => `${r.status} ${r.statusText}`, (e: Error) => e.message);
    if (last.startsWith('200')) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the API did not answer 200 in time (last: ${last})`);
}

type Interval = { at: number; requests: number; errors: number; p50: number; p99: number; rss: Record<string, number> };

async function load(port: number, seconds: number, connections: number, children: Record<string, ChildProcess>): Promise<Interval[]> {
  const requests = QUERY_MIX.filter((q) => q.kind !== 'offset').map((q) => ({ method: 'GET' as const, path: encodeURI(`${q.path}${q.qs === '' ? '' : `?${q.qs}`}`) }));
  let latencies: number[] = [];
  let errors = 0;
  const statuses = new Map<number, number>();
  const rows: Interval[] = [];
  const sample = setInterval(() => {
    latencies.sort((a, b) => a - b);
    rows.push({
      at: (rows.length + 1) * INTERVAL_S, requests: latencies.length, errors, p50: percentile(latencies, 50), p99: percentile(latencies, 99),
      rss: Object.fromEntries(Object.entries(children).map(([name, c]) => [name, rssMb(c.pid)])),
    });
    latencies = [];
    errors = 0;
  }, INTERVAL_S * 1000);
  await new Promise<void>((resolve, reject) => {
    const instance = autocannon(
      { url: `http://127.0.0.1:${port}`, requests, duration: seconds, connections, headers: { authorization: 'Token soak-admin-token' } },
      (err) => (err ? reject(err) : resolve()),
    );
    instance.on('response', (_c, status, _b, ms) => {
      latencies.push(ms);
      if (status !== 200) errors++;
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    });
    instance.on('reqError', () => errors++);
  });
  clearInterval(sample);
  process.stderr.write(`statuses: ${JSON.stringify(Object.fromEntries(statuses))}\n`);
  return rows;
}

function print(rows: Interval[], o: { seconds: number; connections: number; users: number; rate: number; streamedUsers: number }): void {
  const total = rows.reduce((a, r) => a + r.errors, 0);
  const lines = [
    `bench:soak: ${o.seconds} s, ${o.connections} connections, ${fmt(o.users)} users at start, ${fmt(o.rate)} user events/s and as many token.used streamed (${fmt(o.streamedUsers)} users added)`,
    '',
    '| t (s) | req/s | errors | p50 ms | p99 ms | api RSS MB | projector RSS MB | activity RSS MB |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.at} | ${fmt(r.requests / INTERVAL_S)} | ${r.errors} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.rss.api?.toFixed(0)} | ${r.rss.project?.toFixed(0)} | ${r.rss.activity?.toFixed(0)} |`),
    '',
    `errors: ${total} (target 0) ${total === 0 ? 'met' : '**missed**'}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((err) => {
  process.stderr.write(`bench:soak failed: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
