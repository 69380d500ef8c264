// ops.md, "Delivery guarantees", under real faults (issue 7). While a generated history streams in, the
// projector (its own process) lives through: its Kafka broker stopped and restarted, its PostgreSQL sessions
// killed mid-batch, PostgreSQL restarted, SIGKILLs, the same events published twice, and Kafka's group
// offsets rewound so whole batches are delivered again. Broker and cluster are this test's own
// (tests/helpers/ownServers.ts). At the end the read model equals the reference fold of every event.
import { spawn, ChildProcess } from 'node:child_process';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Kafka } from 'kafkajs';
import { Knex } from 'knex';
import Koa from 'koa';
import Redis from 'ioredis';
import { Config, loadConfig } from '../../shared/config';
import { createDatabaseIfMissing, createDb } from '../../shared/db';
import { createKafka, ensureTopicsWith } from '../../shared/kafka';
import { createLogger } from '../../shared/logger';
import { createMetrics } from '../../shared/metrics';
import { createRedis } from '../../shared/redis';
import { OnlineStore } from '../../shared/activity/onlineStore';
import { migrate } from '../../projections/migrate';
import { createApp } from '../../services/api/app';
import { freePort, startOwnKafka, startOwnPostgres, OwnKafka, OwnPostgres } from '../helpers/ownServers';
import { projectedCount } from '../helpers/projectedApp';
import { eventually, publish } from '../helpers/events';
import { generateHistory, GeneratedMessage } from '../helpers/historyGenerator';
import { ReferenceFold } from '../helpers/referenceFold';
import { listAll } from '../helpers/listAll';
import { readDeadLetters } from '../helpers/dlq';

const CLI = path.join(__dirname, '../../bin/rollcall.js');
const DATABASE = 'rollcall_faults';
let pgs: OwnPostgres;
let broker: OwnKafka;
let env: NodeJS.ProcessEnv;
let config: Config;
let db: Knex;
let kafka: Kafka;
let redis: Redis;
let child: ChildProcess | undefined;
const outcomes: string[] = [];

beforeAll(async () => {
  [pgs, broker] = await Promise.all([startOwnPostgres(), startOwnKafka()]);
  env = {
    ...process.env,
    DATABASE_URL: pgs.url(DATABASE),
    KAFKA_BROKERS: broker.brokers,
    KAFKA_SESSION_TIMEOUT_MS: '2000',
    REDIS_PREFIX: `rollcall:test:faults:${randomBytes(4).toString('hex')}:`,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    // The child's service endpoints: a port of its own, not the default 8000 another test's child may hold.
    PORT: String(await freePort()),
    HOST: '127.0.0.1',
  };
  config = loadConfig(env);
  await createDatabaseIfMissing(config.databaseUrl);
  db = createDb(config.databaseUrl);
  await migrate(db, config.databaseUrl);
  kafka = createKafka(config, createLogger('silent'));
  await ensureTopicsWith(kafka, config);
  redis = createRedis(config.redisUrl);
}, 120_000);

afterAll(async () => {
  child?.kill('SIGKILL');
  process.stdout.write(`faults test:\n  ${outcomes.join('\n  ')}\n`);
  await db?.destroy();
  redis?.disconnect();
  await Promise.all([pgs?.destroy(), broker?.destroy()]);
}, 60_000);

const startChild = () => spawn(process.execPath, [CLI, 'project'], { env, stdio: 'ignore' });
const killChild = (c: ChildProcess) => new Promise<void>((resolve) => {
  c.once('exit', () => resolve());
  c.kill('SIGKILL');
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Messages the projector has stored offsets for, or undefined while PostgreSQL cannot answer. */
const projected = async (): Promise<bigint | undefined> => {
  try {
    return await projectedCount(db, config.topics.events);
  } catch {
    return undefined; // PostgreSQL is down or restarting: no answer yet, ask again
  }
};
const progressPast = (done: bigint) =>
  eventually(async () => ((await projected()) ?? -1n) > done ? true : undefined, 90_000, 'the projector to make progress');
const publishWithRetry = (messages: GeneratedMessage[]) =>
  eventually(async () => publish(kafka, config.topics.events, messages).then(() => true, () => undefined), 90_000, 'the broker to take events');

type Fault = (chunk: number) => Promise<void>;

const FAULTS: Record<number, [string, Fault]> = {
  1: ['Kafka broker stopped for 3 s and restarted', async () => {
    await broker.stop();
    await sleep(3_000);
    await broker.start();
  }],
  3: ["PostgreSQL sessions killed mid-batch (pg_terminate_backend)", async () => {
    const n = await pgs.terminateSessions(DATABASE);
    outcomes.push(`  ${n} sessions terminated`);
  }],
  5: ['PostgreSQL stopped for 3 s and started again', async () => {
    await pgs.stop();
    await sleep(3_000);
    await pgs.start();
  }],
  7: ['projector killed with SIGKILL and restarted', async () => {
    await killChild(child!);
    child = startChild();
  }],
  9: ["projector killed, Kafka's group offsets rewound to the start (Kafka redelivers everything), restarted", async () => {
    await killChild(child!);
    const admin = kafka.admin();
    await admin.connect();
    // The dead member holds the group until its 2 s session expires.
    await eventually(() => admin.resetOffsets({ groupId: config.kafka.groupId, topic: config.topics.events, earliest: true }).then(() => true, () => undefined), 30_000, 'the group to be empty');
    await admin.disconnect();
    child = startChild();
  }],
  11: ['projector killed with SIGKILL and restarted', async () => {
    await killChild(child!);
    child = startChild();
  }],
};

it('ends equal to the reference fold of every event after broker, database and process faults', async () => {
  const history = generateHistory({ seed: 23, users: 500, groups: 20 });
  // Duplicate deliveries: a stretch of already published events is published again, later in the stream.
  const stream = [...history.messages.slice(0, 1400), ...history.messages.slice(200, 500), ...history.messages.slice(1400)];
  const fold = new ReferenceFold();
  stream.forEach((m, i) => {
    if (!m.poison) fold.apply(i, JSON.parse(m.value));
  });
  const expectedDead = stream.filter((m, i) => m.poison || fold.ruleDeadLetters.has(i)).map((m) => m.value).sort();

  const chunk = Math.ceil(stream.length / 13);
  child = startChild();
  for (let c = 0; c * chunk < stream.length; c++) {
    const done = (await projected()) ?? 0n;
    await publishWithRetry(stream.slice(c * chunk, (c + 1) * chunk));
    const fault = FAULTS[c];
    if (fault === undefined) continue;
    await progressPast(done); // most likely inside a batch's transaction now
    const t0 = Date.now();
    await fault[1](c);
    outcomes.push(`${fault[0]}: done in ${Date.now() - t0} ms`);
  }
  await eventually(async () => ((await projected()) === BigInt(stream.length) ? true : undefined), 120_000, `${stream.length} messages projected`);
  outcomes.push(`all ${stream.length} messages (${expectedDead.length} dead letters) projected; read model compared with the reference fold`);

  const app: Koa = createApp({ db, redis, online: new OnlineStore(redis, config.redisPrefix, 300, (err) => { throw err; /* Redis is up throughout: a failure is a bug */ }), metrics: createMetrics(), logger: createLogger('silent'), maxPageSize: 1000, trustProxy: false, inMemorySearch: true });
  expect(await listAll(app, '/api/users/', history.adminToken)).toEqual(fold.expectedObjects('staff'));
  expect(await listAll(app, '/api/customers', history.adminToken)).toEqual(fold.expectedObjects('customers'));
  const letters = await readDeadLetters(kafka, config.topics.dlq, expectedDead.length);
  expect(letters.map((l) => l.value).sort()).toEqual(expectedDead);
}, 420_000);
