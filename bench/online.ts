// npm run bench:online -- [--users 1000000] [--online 100000] [--seconds 3] [--connections 4] [--events 200000]
// is_online at scale (issue 5). On the read model of bench:api (N users), marks --online of them online in
// Redis, runs the API as its own process and drives is_online alone and with two other filters (autocannon);
// beside each, the floor: the same statements timed straight on PostgreSQL with the same online set. Then
// the activity consumer's ingest rate of --events token.used from Kafka into Redis, beside redis-benchmark's
// rate for ZADD, pipelined, on the same Redis.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Knex } from 'knex';
import { argNumber, benchAdminToken, waitForIndex, createProducer, drive, fmt, openQueryBench, percentile, publishAll, seconds, startApi } from './kit';
import Redis from 'ioredis';
import { Config, loadConfig } from '../shared/config';
import { createKafka, ensureTopicsWith } from '../shared/kafka';
import { createLogger } from '../shared/logger';
import { createRedis, redisReady } from '../shared/redis';
import { OnlineStore, nowMicros } from '../shared/activity/onlineStore';
import { startActivity } from '../services/activity/consumer';
import { tokenUsed } from './benchHistory';
import { customersEndpoint } from '../services/api/customers/endpoint';
import { listRequest } from '../services/api/listing/parse/listRequest';
import { listStatements } from '../services/api/listing/execute/statements';
import { listUsers } from '../services/api/listing/execute/execute';
import { parseQueryString } from '../services/api/queryString';
import { rng } from '../shared/random';

const QUERIES = [
  'is_online=true',
  'is_online=false',
  'is_online=true&has_email=true&gender=female',
  'is_online=true&is_active=true&ordering=username',
  'is_online=false&has_phone=true&gender=male',
];

async function main(): Promise<void> {
  const users = argNumber('users', 1_000_000);
  const onlineCount = argNumber('online', 100_000);
  const duration = argNumber('seconds', 3);
  const connections = argNumber('connections', 4);
  const { db, schema, config, databaseUrl } = await openQueryBench(users);
  const prefix = `rollcall:bench-online:${randomBytes(3).toString('hex')}:`;
  const redis = createRedis(config.redisUrl);
  await redisReady(redis);
  const online = new OnlineStore(redis, prefix, config.onlineWindowSeconds, failLoudly);
  try {
    const ids = markOnline(users, onlineCount);
    for (let i = 0; i < ids.length; i += 10_000) await online.record(new Map(ids.slice(i, i + 10_000).map((id) => [id, nowMicros()])));
    const http = await driveApi(db, schema, databaseUrl, prefix, redis, config, duration, connections);
    const ingest = await activityIngest(prefix, argNumber('events', 200_000));
    print({ users, onlineCount, duration, connections }, http, ingest);
  } finally {
    await redis.del(`${prefix}last-activity`);
    redis.disconnect();
    await db.destroy();
  }
}

/** The benchmark never touches; a failure there would be a bug worth stopping for. */
const failLoudly = (err: unknown) => {
  throw err;
};

function markOnline(users: number, n: number): string[] {
  const r = rng(5);
  const ids = new Set<string>();
  while (ids.size < n) ids.add(String(1 + Math.floor(r() * users)));
  return [...ids];
}

type Row = { qs: string; count: number; p50: number; p95: number; p99: number; rps: number; sql50: number; sql95: number; errors: number };

async function driveApi(db: Knex, schema: string, databaseUrl: string, prefix: string, redis: Redis, config: Config, duration: number, connections: number): Promise<Row[]> {
  const token = await benchAdminToken(db, schema);
  const api = await startApi({ DATABASE_URL: databaseUrl, REDIS_PREFIX: prefix });
  const headers = { authorization: `Token ${token}` };
  try {
    await waitForIndex(api.base, api.started);
    const rows: Row[] = [];
    for (const qs of QUERIES) {
      const url = `${api.base}/api/customers?${qs}`;
      // The bare SQL: the online set read whole from Redis, joined in PostgreSQL, counted by count(*).
      const request = async () => {
        const req = await listRequest(parseQueryString(qs), customersEndpoint, { schema }, 1000);
        const ids = `{${(await redis.zrangebyscore(`${prefix}last-activity`, nowMicros() - config.onlineWindowSeconds * 1e6, '+inf')).join(',')}}`;
        const online = { sql: req.online ? 'u.id = any(?::bigint[])' : 'not (u.id = any(?::bigint[]))', bindings: [ids] };
        return { ...req, online: null, indexQuery: null, countFrom: null, conditions: [...req.conditions, online] };
      };
      const served = (await (await fetch(url, { headers })).json()) as { count: number };
      const bare = listStatements(schema, await request()).count;
      const exact = Number((await db.raw(bare.sql, bare.bindings)).rows[0].count);
      if (served.count !== exact) throw new Error(`${qs}: the API counted ${served.count}, count(*) gives ${exact}`);
      const http = await drive(url, token, duration, connections);
      // The floor: Redis's online set read and the same two statements, straight, in sequence.
      const times: number[] = [];
      for (let i = 0; i < 15; i++) {
        const t0 = process.hrtime.bigint();
        await listUsers(db, schema, await request());
        times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      times.sort((a, b) => a - b);
      rows.push({ qs, count: exact, ...http, sql50: percentile(times, 50), sql95: percentile(times, 95) });
      process.stderr.write(`${qs}: p95 ${http.p95.toFixed(1)} ms\n`);
    }
    rows.push(await whileActive(api.base, token, redis, prefix, config, duration, connections, rows[2] as Row));
    return rows;
  } finally {
    api.stop();
  }
}

/**
 * The two-filter query again while activity flows in (2,000 users/s made online, as the activity consumer
 * writes them, in batches every 100 ms): each request then also applies what the API's copy of the online
 * set has not seen. The count moves while it runs, so it is not checked here.
 */
async function whileActive(base: string, token: string, redis: Redis, prefix: string, config: Config, duration: number, connections: number, before: Row): Promise<Row> {
  const writer = new OnlineStore(redis, prefix, config.onlineWindowSeconds, failLoudly);
  const r = rng(9);
  const timer = setInterval(() => {
    const batch = new Map(Array.from({ length: 200 }, () => [String(1 + Math.floor(r() * 1_000_000)), nowMicros()] as [string, number]));
    writer.record(batch).catch((err) => process.stderr.write(`activity write failed: ${(err as Error).message}\n`));
  }, 100);
  try {
    const http = await drive(`${base}/api/customers?${before.qs}`, token, duration, connections);
    return { ...before, qs: `${before.qs} (2,000 activity/s flowing)`, ...http };
  } finally {
    clearInterval(timer);
  }
}

async function activityIngest(prefix: string, events: number): Promise<{ rate: number; floor: number }> {
  const run = randomBytes(3).toString('hex');
  const config = loadConfig({ ...process.env, ACTIVITY_TOPIC: `bench-activity-${run}`, EVENTS_TOPIC: `bench-events-${run}`, DLQ_TOPIC: `bench-dlq-${run}`, KAFKA_GROUP_ID: `bench-online-${run}` });
  const logger = createLogger('warn', { stderr: true });
  const kafka = createKafka(config, logger);
  await ensureTopicsWith(kafka, config);
  const redis = createRedis(config.redisUrl);
  await redisReady(redis);
  const key = `${prefix}ingest:last-activity`;
  const store = new OnlineStore(redis, `${prefix}ingest:`, config.onlineWindowSeconds, failLoudly);
  const running = await startActivity({ kafka, online: store, config, logger });
  const producer = createProducer(kafka);
  await producer.connect();
  try {
    // A new group starts at the log end: probe until the consumer has its partitions and applies events.
    const probe = (i: number) => tokenUsed(1_000_000_000 + (i % 6), new Date().toISOString(), `p${i}`);
    for (let i = 0; (await redis.zcard(key)) < 6; i++) {
      await publishAll(producer, config.topics.activity, Array.from({ length: 6 }, (_, k) => probe(i * 6 + k)));
      await new Promise((r) => setTimeout(r, 200));
    }
    await redis.del(key);
    const at = new Date().toISOString();
    const messages = Array.from({ length: events }, (_, i) => tokenUsed(i + 1, at, `u${i}`));
    await publishAll(producer, config.topics.activity, messages);
    const t0 = process.hrtime.bigint();
    while ((await redis.zcard(key)) < events) await new Promise((r) => setTimeout(r, 20));
    const rate = events / seconds(t0);
    const csv = execFileSync('redis-benchmark', ['-t', 'zadd', '-n', '500000', '-P', '32', '-q', '--csv'], { encoding: 'utf8' });
    const floor = Number(/"ZADD","([\d.]+)"/.exec(csv)?.[1] ?? NaN);
    return { rate, floor };
  } finally {
    await running.stop();
    await producer.disconnect();
    await redis.del(key);
    redis.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [config.topics.activity, config.topics.events, config.topics.dlq] });
    await admin.disconnect();
  }
}

function print(o: { users: number; onlineCount: number; duration: number; connections: number }, rows: Row[], ingest: { rate: number; floor: number }): void {
  const lines = [
    `bench:online: ${fmt(o.users)} users, ${fmt(o.onlineCount)} online, /api/customers, ${o.connections} connections, ${o.duration} s per query (times in ms)`,
    '',
    '| query | count | p50 | p95 | p99 | req/s | floor p50 | floor p95 | p95 target |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|',
    ...rows.map((r) => `| ${r.qs} | ${fmt(r.count)} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.p99.toFixed(1)} | ${fmt(r.rps)} | ${r.sql50.toFixed(1)} | ${r.sql95.toFixed(1)} | ≤ 40 ${r.p95 <= 40 ? 'met' : '**missed**'}${r.errors > 0 ? `, ${r.errors} errors` : ''} |`),
    '',
    `activity ingest (Kafka token.used → Redis, rollcall activity): ${fmt(ingest.rate)} events/s`,
    `floor: redis-benchmark -t zadd -P 32 on the same Redis:         ${fmt(ingest.floor)} ZADD/s (${((100 * ingest.rate) / ingest.floor).toFixed(0)}%)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((err) => {
  process.stderr.write(`bench:online failed: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
