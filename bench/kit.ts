// What every benchmark needs: its own database and topics, timing, and a plain report.
import { spawn } from 'node:child_process';
import path from 'node:path';
import autocannon from 'autocannon';
import { Kafka, Producer } from 'kafkajs';
import { Knex } from 'knex';
import { Config, loadConfig } from '../shared/config';
import { createDb, dropDatabase } from '../shared/db';
import { table } from '../projections/readModel';
import { createKafka, createProducer, ensureTopicsWith } from '../shared/kafka';
import { createLogger, Logger } from '../shared/logger';
import { migrate } from '../projections/migrate';
import { loadMillionUsers } from './millionUsers';
import { BenchQuery } from './queryMix';
import { usersEndpoint } from '../services/api/users/endpoint';
import { customersEndpoint } from '../services/api/customers/endpoint';
import { listRequest } from '../services/api/listing/parse/listRequest';
import { listStatements } from '../services/api/listing/execute/statements';
import { parseQueryString } from '../services/api/queryString';

export type Bench = { config: Config; db: Knex; kafka: Kafka; logger: Logger; databaseName: string; cleanup: () => Promise<void> };

/** A fresh database `rollcall_bench_<name>` and fresh topics on the configured servers. */
export async function openBench(name: string): Promise<Bench> {
  const base = loadConfig();
  const run = `${name}-${Date.now().toString(36)}`;
  const url = new URL(base.databaseUrl);
  const databaseName = `rollcall_bench_${name}`;
  url.pathname = `/${databaseName}`;
  await dropDatabase(base.databaseUrl, databaseName);
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: url.toString(),
    EVENTS_TOPIC: `bench-user-events-${run}`,
    ACTIVITY_TOPIC: `bench-user-activity-${run}`,
    DLQ_TOPIC: `bench-user-events.dlq-${run}`,
    KAFKA_GROUP_ID: `bench-${run}`,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  });
  const logger = createLogger(config.logLevel, { name: 'bench', stderr: true });
  const db = createDb(config.databaseUrl, { min: 0, max: 10 });
  await migrate(db, config.databaseUrl);
  const kafka = createKafka(config, logger);
  await ensureTopicsWith(kafka, config);
  return {
    config, db, kafka, logger, databaseName,
    cleanup: async () => {
      await db.destroy();
      const a = kafka.admin();
      await a.connect();
      await a.deleteTopics({ topics: [config.topics.events, config.topics.activity, config.topics.dlq] });
      await a.disconnect();
      if (!process.argv.includes('--keep')) await dropDatabase(base.databaseUrl, databaseName);
    },
  };
}

export async function publishAll(producer: Producer, topic: string, messages: { key: string; value: string }[]): Promise<void> {
  for (let i = 0; i < messages.length; i += 10_000) {
    await producer.send({ topic, acks: -1, messages: messages.slice(i, i + 10_000) });
  }
}

export { createProducer };

export function argNumber(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i === -1) return fallback;
  const n = Number(process.argv[i + 1]);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`--${name} takes a positive whole number`);
  return n;
}

export function argText(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i === -1) return undefined;
  const text = process.argv[i + 1];
  if (text === undefined || text.startsWith('--')) throw new Error(`--${name} takes a value`);
  return text;
}

export const seconds = (startNs: bigint) => Number(process.hrtime.bigint() - startNs) / 1e9;
export const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export function report(title: string, rows: Array<[string, string]>): void {
  const width = Math.max(...rows.map(([k]) => k.length));
  process.stdout.write(`\n${title}\n${rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n')}\n`);
}

/** The bench database `rollcall_bench_api` with N synthetic users (kept between runs: loading takes minutes). */
export async function openQueryBench(users: number): Promise<{ config: Config; db: Knex; schema: string; databaseUrl: string }> {
  const base = loadConfig();
  const url = new URL(base.databaseUrl);
  url.pathname = '/rollcall_bench_api';
  const config = loadConfig({ ...process.env, DATABASE_URL: url.toString() });
  const db = createDb(config.databaseUrl, { min: 0, max: 10 });
  await migrate(db, config.databaseUrl);
  const schema = await loadMillionUsers(db, users, (line) => process.stderr.write(`${line}\n`));
  return { config, db, schema, databaseUrl: config.databaseUrl };
}

/** The two statements the API runs for a query of the mix (same code path as a request). */
export async function statementsFor(q: BenchQuery, schema: string, maxPageSize: number, opts: { countStar?: boolean } = {}) {
  const req = await requestFor(q, schema, maxPageSize);
  return listStatements(schema, opts.countStar ? { ...req, countFrom: null } : req);
}

/** The list request the API builds for a query of the mix. */
export function requestFor(q: BenchQuery, schema: string, maxPageSize: number) {
  const endpoint = q.path === '/api/users/' ? usersEndpoint : customersEndpoint;
  return listRequest(parseQueryString(q.qs), endpoint, { schema }, maxPageSize);
}

/** The token of an active admin of the bench read model (bench/millionUsers.ts issues `bench-token-<id>`). */
export async function benchAdminToken(db: Knex, schema: string): Promise<string> {
  const { rows } = await db.raw(`select id from ${table(schema, 'users')} where is_admin and is_active and not deleted and token_sha256 is not null order by id limit 1`);
  return `bench-token-${rows[0].id}`;
}

/** `rollcall api` as its own process on a random port, once /readyz answers 200. */
export async function startApi(env: NodeJS.ProcessEnv): Promise<{ base: string; stop: () => void; started: number; listening: number }> {
  const started = Date.now();
  const port = 18_000 + Math.floor(Math.random() * 1000);
  // BENCH_API_PROFILE=<dir>: the API writes a CPU profile there when it stops (node --cpu-prof).
  // BENCH_API_TRACE_GC=1: each of its processes prints its garbage collections and their pauses (V8's --trace-gc,
  // on stdout, shown then), to tell a pause of the collector from one of the code in the event loop's figures.
  const profile = process.env.BENCH_API_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_API_PROFILE] : [];
  const traceGc = process.env.BENCH_API_TRACE_GC === '1';
  const api = spawn(process.execPath, [...profile, ...(traceGc ? ['--trace-gc'] : []), path.join(__dirname, '../services/cli.js'), 'api'], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', traceGc ? 'inherit' : 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; (await fetch(`${base}/readyz`).then((r) => r.status, () => 0)) !== 200; i++) {
    if (i > 400) {
      api.kill('SIGTERM');
      throw new Error('the API did not become ready');
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { base, stop: () => void api.kill('SIGTERM'), started, listening: (Date.now() - started) / 1000 };
}

/** A gauge of the API's /metrics text (no labels). */
export const gauge = (metrics: string, name: string): number => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1]);

/**
 * Waits until the API holds its in-memory index (services/api/index/; the API role starts loading it at
 * start): until then PostgreSQL answers, which is not what a benchmark of a running API should time. Ready:
 * seconds from the process's spawn; the index's own count of its bytes; the API's RSS.
 */
export async function waitForIndex(base: string, started: number): Promise<{ ready: number; indexMb: number; rssMb: number }> {
  for (let i = 0; i < 1_200; i++) {
    const text = await (await fetch(`${base}/metrics`)).text();
    if (gauge(text, 'rollcall_api_in_memory_index_loaded') === 1 && gauge(text, 'rollcall_api_in_memory_users') > 0) {
      // When the load ended, by the API's own clock: a scrape every 50 ms (each one gathered over the processes
      // and read PostgreSQL) slowed the start it timed by half a second; every 250 ms, and the time is exact.
      const ready = gauge(text, 'rollcall_api_in_memory_index_last_load_timestamp_seconds') - started / 1000;
      return { ready, indexMb: gauge(text, 'rollcall_api_in_memory_index_bytes') / 1e6, rssMb: gauge(text, 'rollcall_process_process_resident_memory_bytes') / 1e6 };
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the API did not load its in-memory index within five minutes');
}

/** The API's event-loop delay since the last call (prom-client resets its histogram at each scrape), ms. */
export async function loopDelay(base: string): Promise<{ p99: number; max: number }> {
  const text = await (await fetch(`${base}/metrics`)).text();
  return { p99: gauge(text, 'rollcall_process_nodejs_eventloop_lag_p99_seconds') * 1000, max: gauge(text, 'rollcall_process_nodejs_eventloop_lag_max_seconds') * 1000 };
}

/**
 * One URL driven by autocannon at a fixed concurrency (or with `pathOf`, a new path of the same host for each
 * request): latency percentiles (ms), requests/s, errors.
 */
export async function drive(url: string, token: string, duration: number, connections: number, pathOf?: () => string) {
  const latencies: number[] = [];
  const requests = pathOf === undefined ? undefined : [{ setupRequest: (req: autocannon.Request) => ({ ...req, path: pathOf() }) }];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, duration, connections, headers: { authorization: `Token ${token}` }, ...(requests ? { requests } : {}) }, (err, res) => (err ? reject(err) : resolve(res)));
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  latencies.sort((a, b) => a - b);
  return {
    p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99),
    rps: result.requests.average, errors: result.errors + result.non2xx,
  };
}
