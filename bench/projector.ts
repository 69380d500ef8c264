// npm run bench:projector -- [--users 200000] [--processes 2]
// Publishes the histories of N users, then measures, in the same run and on the same topic:
//   floor 1: Kafka's raw consume rate (kafkajs, messages counted, nothing parsed);
//   floor 2: PostgreSQL's COPY rate of the resulting rows into the same indexed table;
//   rollcall: events applied per second from the first batch committed to caught up (the start-up before it
//   is printed apart), by one projector and by a group of `rollcall project` processes sharing the partitions
//   (one per core by default), and end-to-end lag when live.
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { SingleBar } from 'cli-progress';
import { startProjector } from '../services/projector/consumer';
import { activeGeneration } from '../projections/generations';
import { appliedTotal } from '../projections/checkpoints';
import { benchGroupEvents, benchUserEvents } from './benchHistory';
import { copyRate, rawConsumeRate } from './floors';
import { argNumber, Bench, createProducer, fmt, openBench, percentile, publishAll, report, seconds } from './kit';
import { createDb, dropDatabase } from '../shared/db';
import { migrate } from '../projections/migrate';

const GROUPS = 50;

async function main(): Promise<void> {
  const users = argNumber('users', 200_000);
  const b = await openBench('projector');
  try {
    const total = await publish(b, users);
    const kafkaRate = await rawConsumeRate(b, total);
    const { rate, startup, lag } = await projectorRate(b, total);
    const processes = argNumber('processes', os.availableParallelism());
    const group = await projectorGroupRate(b, total, processes);
    const groupRate = group.rate;
    const copy = await copyRate(b, total);
    const floor = Math.min(kafkaRate, copy.eventsPerSecond);
    const best = Math.max(rate, groupRate);
    report(`bench:projector: ${fmt(users)} users, ${fmt(total)} events, ${b.config.kafka.brokers.join(',')}`, [
      ['floor: Kafka raw consume (kafkajs)', `${fmt(kafkaRate)} events/s`],
      ['floor: PostgreSQL COPY of the rows', `${fmt(copy.rowsPerSecond)} rows/s (${copy.seconds.toFixed(2)} s for ${fmt(copy.rows)} rows = ${fmt(copy.eventsPerSecond)} events/s)`],
      ['rollcall projector, 1 process', `${fmt(rate)} events/s = ${((100 * rate) / floor).toFixed(1)}% of the lower floor (start-up ${startup.toFixed(1)} s before)`],
      [`rollcall projector, ${processes} processes (one group)`, `${fmt(groupRate)} events/s = ${((100 * groupRate) / floor).toFixed(1)}% of the lower floor (start-up ${group.startup.toFixed(1)} s before; rebalance included)`],
      ['end-to-end lag, live (publish ack → committed)', `p50 ${lag.p50.toFixed(1)} ms, p95 ${lag.p95.toFixed(1)} ms, max ${lag.max.toFixed(1)} ms`],
      ['targets', `>= 25,000 events/s and >= 50% of the lower floor: ${best >= 25_000 && best >= floor / 2 ? 'met' : 'NOT met'}`],
    ]);
  } finally {
    await b.cleanup();
  }
}

export async function publish(b: Bench, users: number): Promise<number> {
  const producer = createProducer(b.kafka);
  await producer.connect();
  const bar = new SingleBar({ format: 'publishing {bar} {value}/{total} users | {eta}s left', etaBuffer: 20 });
  bar.start(users, 0);
  let total = 0;
  const groups = benchGroupEvents(GROUPS);
  await publishAll(producer, b.config.topics.events, groups);
  total += groups.length;
  for (let from = 1; from <= users; from += 20_000) {
    const messages = benchUserEvents(from, Math.min(users + 1, from + 20_000), GROUPS);
    await publishAll(producer, b.config.topics.events, messages);
    total += messages.length;
    bar.update(Math.min(users, from + 19_999));
  }
  bar.stop();
  await producer.disconnect();
  return total;
}

async function appliedCount(b: Bench): Promise<bigint> {
  return appliedTotal(b.db, (await activeGeneration(b.db)).schema, b.config.topics.events);
}

type Throughput = { rate: number; startup: number };

/**
 * Polls the applied offsets until `total`: the start-up (process start, group join, first batch committed) and,
 * from the first commit on, events applied per second.
 */
async function untilApplied(applied: () => Promise<bigint>, total: number, alive: () => void = () => undefined): Promise<Throughput> {
  const bar = new SingleBar({ format: 'projecting {bar} {value}/{total} events | {eta}s left', etaBuffer: 20 });
  bar.start(total, 0);
  const started = process.hrtime.bigint();
  let first: { at: bigint; applied: bigint } | undefined;
  for (let n = await applied(); n < BigInt(total); n = await applied()) {
    alive();
    if (first === undefined && n > 0n) first = { at: process.hrtime.bigint(), applied: n };
    bar.update(Number(n));
    await new Promise((r) => setTimeout(r, 50));
  }
  bar.stop();
  first ??= { at: process.hrtime.bigint(), applied: 0n };
  return { startup: seconds(started) - seconds(first.at), rate: (total - Number(first.applied)) / seconds(first.at) };
}

async function projectorRate(b: Bench, total: number): Promise<Throughput & { lag: { p50: number; p95: number; max: number } }> {
  const projector = await startProjector({ kafka: b.kafka, db: b.db, config: b.config, logger: b.logger });
  const throughput = await untilApplied(() => appliedCount(b), total);

  // Live: one event at a time, from the producer's acknowledgement to the offset committed in PostgreSQL.
  const producer = createProducer(b.kafka);
  await producer.connect();
  const lags: number[] = [];
  for (let i = 0; i < 100; i++) {
    const before = await appliedCount(b);
    const [message] = benchUserEvents(10_000_000 + i, 10_000_001 + i, GROUPS);
    await producer.send({ topic: b.config.topics.events, acks: -1, messages: [message!] });
    const sent = process.hrtime.bigint();
    while ((await appliedCount(b)) <= before) await new Promise((r) => setImmediate(r));
    lags.push(seconds(sent) * 1000);
  }
  await producer.disconnect();
  await projector.stop();
  lags.sort((x, y) => x - y);
  return { ...throughput, lag: { p50: percentile(lags, 50), p95: percentile(lags, 95), max: lags[lags.length - 1] ?? NaN } };
}

/**
 * The same topic projected from offset 0 into a second database by `processes` projector processes in one
 * consumer group, as they would be deployed (ops.md).
 */
async function projectorGroupRate(b: Bench, total: number, processes: number): Promise<Throughput> {
  const url = new URL(b.config.databaseUrl);
  url.pathname = `${url.pathname}_group`;
  const databaseUrl = url.toString();
  await dropDatabase(b.config.databaseUrl, url.pathname.slice(1));
  const db = createDb(databaseUrl, { min: 0, max: 2 });
  const children: ReturnType<typeof spawn>[] = [];
  try {
    await migrate(db, databaseUrl);
    for (let i = 0; i < processes; i++) {
      children.push(spawn(process.execPath, [path.join(__dirname, '../services/cli.js'), 'project'], {
        env: { ...process.env, DATABASE_URL: databaseUrl, EVENTS_TOPIC: b.config.topics.events, DLQ_TOPIC: b.config.topics.dlq,
          ACTIVITY_TOPIC: b.config.topics.activity, KAFKA_GROUP_ID: `${b.config.kafka.groupId}-group`,
          PORT: String(19_000 + Math.floor(Math.random() * 900) + i), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'ignore', 'inherit'],
      }));
    }
    const schema = (await activeGeneration(db)).schema;
    return await untilApplied(() => appliedTotal(db, schema, b.config.topics.events), total, () => {
      if (children.some((c) => c.exitCode !== null)) throw new Error('a projector process exited');
    });
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(children.map((c) => (c.exitCode !== null ? undefined : new Promise((r) => c.once('exit', r)))));
    await db.destroy();
    await dropDatabase(b.config.databaseUrl, url.pathname.slice(1));
  }
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`bench:projector failed: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  });
}
