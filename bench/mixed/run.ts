// npm run bench:throughput -- --mixed [--users 3000] [--seconds 15] [--floor-seconds 8] [--settle 3]
//   [--connections 16] [--rates 0,100,1000] [--deployments roles,all] [--fresh-rate 200] [--fresh-samples 30]
// Issue 25's measurement: rollcall asked questions it has never seen (four requests in five; the fifth a default
// page) while a paced producer publishes a live directory's events, for each deployment and rate; beside each
// run, the floor (a bare Koa app answering the same requests with the same bytes), what PostgreSQL, Redis and
// each process spent, and freshness from the publish (a registration searchable, a revoked token refused).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { argNumber, argText, openBench, waitForIndex } from '../kit';
import { createDb } from '../../shared/db';
import { createRedis, redisReady } from '../../shared/redis';
import { createProducer } from '../../shared/kafka';
import { Deployment, DeploymentKind, startDeployment } from './deployment';
import { Answered, cycling, drive, Driven } from './drive';
import { EventStream } from './eventStream';
import { probeFreshness, until } from './freshness';
import { RequestSource, worldOf } from './requests';
import { planSeed, publishSeed, SeedPlan } from './seedHistory';
import { UsageMeter, usageBetween } from './usage';
import { Flags, printReport, RateRow, FreshRow } from './report';

type Live = { deployment: Deployment; stream: EventStream; meter: UsageMeter; plan: SeedPlan; source: RequestSource };

export async function runMixed(): Promise<void> {
  const flags = readFlags();
  const plan = planSeed(flags.users, new Date());
  const source = new RequestSource(worldOf(plan.events), plan.staffTokens, plan.adminToken);
  source.prepare(20_000);
  const rows: RateRow[] = [];
  const fresh: FreshRow[] = [];
  const started = performance.now();
  for (const kind of flags.deployments) {
    await withDeployment(kind, plan, source, async (live) => {
      await drive(live.deployment.base, 3, flags.connections, () => source.next()); // warm: code compiled, pools open
      for (const rate of flags.rates) rows.push(await measureRate(live, flags, rate));
      fresh.push(await measureFreshness(live, flags));
    });
  }
  printReport(flags, rows, fresh, { distinct: source.newAsked + 2, newShare: source.newAsked / source.asked, minutes: (performance.now() - started) / 60_000 });
}

function readFlags(): Flags {
  const list = (name: string, fallback: string) => (argText(name) ?? fallback).split(',').map((s) => s.trim());
  const deployments = list('deployments', 'roles,all');
  if (deployments.some((d) => d !== 'roles' && d !== 'all')) throw new Error('--deployments takes roles, all or both (comma-separated)');
  const rates = list('rates', '0,100,1000').map(Number);
  if (rates.some((r) => !Number.isSafeInteger(r) || r < 0)) throw new Error('--rates takes whole numbers of events/s, comma-separated');
  return {
    users: argNumber('users', 3_000), seconds: argNumber('seconds', 15), floorSeconds: argNumber('floor-seconds', 8), settle: argNumber('settle', 3),
    connections: argNumber('connections', 16), rates, deployments: deployments as DeploymentKind[],
    freshRate: argNumber('fresh-rate', 200), freshSamples: argNumber('fresh-samples', 30),
  };
}

/** A fresh database and topics, the seed projected, the deployment ready; everything gone afterwards. */
async function withDeployment(kind: DeploymentKind, plan: SeedPlan, source: RequestSource, body: (live: Live) => Promise<void>): Promise<void> {
  const bench = await openBench('mixed');
  const { config } = bench;
  const prefix = `rollcall:bench-mixed:${Date.now()}:`;
  const producer = createProducer(bench.kafka);
  const redis = createRedis(config.redisUrl);
  const statsUrl = new URL(config.databaseUrl);
  statsUrl.pathname = '/postgres';
  const stats = createDb(statsUrl.toString(), { min: 0, max: 1 });
  let deployment: Deployment | null = null;
  try {
    await Promise.all([producer.connect(), redisReady(redis)]);
    await publishSeed(producer, plan, config.topics);
    const spawned = Date.now();
    deployment = startDeployment(kind, { DATABASE_URL: config.databaseUrl, EVENTS_TOPIC: config.topics.events, ACTIVITY_TOPIC: config.topics.activity, DLQ_TOPIC: config.topics.dlq, KAFKA_GROUP_ID: config.kafka.groupId, REDIS_PREFIX: prefix });
    await waitProjected(deployment.base, plan);
    await waitForIndex(deployment.base, spawned); // until then PostgreSQL answers what memory will
    const stream = new EventStream(producer, config.topics, new Map(plan.versions), plan.groupIds, plan.firstNewId);
    await body({ deployment, stream, meter: new UsageMeter(stats, bench.databaseName, redis, deployment.pids), plan, source });
    await stream.stop();
  } finally {
    await deployment?.stop();
    await producer.disconnect();
    for (const key of await redis.keys(`${prefix}*`)) await redis.del(key);
    redis.disconnect();
    await stats.destroy();
    await bench.cleanup();
  }
}

/** Until every seeded user is listed by one endpoint or the other (bounded: three minutes). */
async function waitProjected(base: string, plan: SeedPlan): Promise<void> {
  const count = (p: string, token: string) => fetch(`${base}${p}?limit=1`, { headers: { authorization: `Token ${token}` } })
    .then(async (r) => (r.status === 200 ? Number(((await r.json()) as { count: number }).count) : 0), () => 0);
  const since = performance.now();
  while ((await count('/api/customers', plan.staffTokens[0] as string)) + (await count('/api/users/', plan.adminToken)) !== plan.users) {
    if (performance.now() - since > 180_000) throw new Error(`the ${plan.users} seeded users were not all listed within three minutes`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function measureRate(live: Live, flags: Flags, rate: number): Promise<RateRow> {
  const { deployment, stream, meter } = live;
  stream.start(rate);
  const calm = await meter.snapshot();
  await new Promise((r) => setTimeout(r, flags.settle * 1000));
  const before = await meter.snapshot();
  const publishedBefore = stream.published;
  const rollcall = await drive(deployment.base, flags.seconds, flags.connections, () => live.source.next());
  const published = stream.published - publishedBefore;
  const after = await meter.snapshot();
  await new Promise((r) => setTimeout(r, 1_200)); // PostgreSQL flushes its counters within a second
  const late = await meter.snapshot();
  await stream.stop();
  const caughtUp = await catchUp(live);
  const floor = await driveFloor(rollcall.answered, flags);
  process.stderr.write(`${deployment.kind} at ${rate} events/s: ${rollcall.rps.toFixed(0)} req/s, floor ${floor.rps.toFixed(0)}\n`);
  return { kind: deployment.kind, rate, rollcall, floor, usage: usageBetween(before, after), counts: usageBetween(before, late), streamOnly: usageBetween(calm, before), published, caughtUp };
}

/** Seconds until a registration published once the stream stopped is searchable: the backlog left behind. */
async function catchUp(live: Live): Promise<number | null> {
  const name = `caughtup${Date.now()}`;
  const since = performance.now();
  await live.stream.publish([live.stream.register(name)]);
  const ms = await until(`${live.deployment.base}/api/customers?search=${name}`, live.plan.staffTokens[0] as string, since, (s, b) => s === 200 && b.includes(`"username":"${name}"`), 60_000);
  return ms === null ? null : ms / 1000;
}

/** The floor as its own process, answering the run's requests; warmed for two seconds first. */
async function driveFloor(answered: Answered[], flags: Flags): Promise<Driven> {
  const dir = mkdtempSync(path.join(tmpdir(), 'rollcall-mixed-floor-'));
  writeFileSync(path.join(dir, 'answers.json'), JSON.stringify(answered.map((a) => [a.path, a.status, a.bytes])));
  const port = 23_000 + Math.floor(Math.random() * 1_000);
  const child = spawn(process.execPath, [path.join(__dirname, 'floorServer.js'), path.join(dir, 'answers.json'), String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.once('data', () => resolve());
      child.once('exit', (code) => reject(new Error(`the floor server exited (${code})`)));
    });
    const base = `http://127.0.0.1:${port}`;
    await drive(base, 2, flags.connections, cycling(answered, 'floor'));
    return await drive(base, flags.floorSeconds, flags.connections, cycling(answered, 'floor'));
  } finally {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measureFreshness(live: Live, flags: Flags): Promise<FreshRow> {
  live.stream.start(flags.freshRate);
  await new Promise((r) => setTimeout(r, flags.settle * 1000));
  const probed = await probeFreshness(live.stream, live.deployment.base, live.plan.staffTokens[0] as string, flags.freshSamples);
  await live.stream.stop();
  return { kind: live.deployment.kind, rate: flags.freshRate, ...probed, ...(await projected(live.deployment.projectorBase)) };
}

/** The projector's own count of what it did with the events: the stream is valid if none was dead-lettered. */
async function projected(base: string): Promise<{ outcomes: Record<string, number>; gaps: number }> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const outcomes: Record<string, number> = {};
  for (const [, outcome, n] of text.matchAll(/^rollcall_events_total\{[^}]*outcome="([^"]+)"[^}]*\} (\S+)$/gm)) outcomes[outcome as string] = (outcomes[outcome as string] ?? 0) + Number(n);
  const gaps = [...text.matchAll(/^rollcall_event_version_gaps_total\{[^}]*\} (\S+)$/gm)].reduce((a, [, n]) => a + Number(n), 0);
  return { outcomes, gaps };
}
