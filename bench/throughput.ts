// npm run bench:throughput -- [--mixed: see bench/mixed/run.ts] [--users 3000] [--seconds 5] [--connections 16] [--online 300] [--only 'query name']
// Requests/s of rollcall's API against the HTTP floor, in one run: for each query of a mix, a bare Koa app
// answering that query's path with a fixed body of the size rollcall's answer has (bench/floorServer.ts),
// then rollcall (`rollcall api` as its own process, its index loaded), both driven by autocannon at the same
// connections. Beside each: p50/p99, rollcall's share of the floor, and the round trips per request counted
// by the servers themselves: PostgreSQL transactions (each statement of the API is one;
// pg_stat_database.xact_commit) and Redis commands (INFO's total_commands_processed).
import { spawn } from 'node:child_process';
import autocannon from 'autocannon';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Knex } from 'knex';
import Redis from 'ioredis';
import { argNumber, argText, benchAdminToken, drive, fmt, openQueryBench, percentile, startApi, waitForIndex } from './kit';
import { probeFreshness } from './freshnessProbe';
import { table } from '../projections/readModel';
import { createRedis, redisReady } from '../shared/redis';
import { OnlineStore } from '../shared/activity/onlineStore';
import { rng } from '../shared/random';

const MIX: ReadonlyArray<readonly [string, string]> = [
  ['default page', '/api/customers'],
  ['users default page', '/api/users/'],
  ['ordering', '/api/customers?ordering=username'],
  ['boolean filter', '/api/customers?has_email=true'],
  ['three filters', '/api/customers?has_email=true&gender=male&is_active=true'],
  ['search', '/api/customers?search=ada'],
  ['is_online', '/api/customers?is_online=true'],
  ['deep offset', '/api/customers?offset=2000'],
  ['page of 100', '/api/customers?limit=100'],
];

type Side = { rps: number; p50: number; p99: number; errors: number };
type Row = { name: string; floor: Side; rollcall: Side; pg: number; redis: number; bytes: number };

async function main(): Promise<void> {
  // Issue 25's mixed mode: questions never asked before, while events are published (bench/mixed/run.ts).
  if (process.argv.includes('--mixed')) return (await import('./mixed/run')).runMixed();
  const users = argNumber('users', 3_000);
  const seconds = argNumber('seconds', 5);
  const connections = argNumber('connections', 16);
  const { db, schema, databaseUrl, config } = await openQueryBench(users);
  const prefix = `rollcall:bench-throughput:${Date.now()}:`;
  const redis = createRedis(config.redisUrl);
  await redisReady(redis);
  const token = await benchAdminToken(db, schema);
  await markOnline(new OnlineStore(redis, prefix, config.onlineWindowSeconds, (err) => { throw err; }), users, argNumber('online', Math.ceil(users / 10)));
  const api = await startApi({ DATABASE_URL: databaseUrl, REDIS_PREFIX: prefix });
  const headers = { authorization: `Token ${token}` };
  try {
    await waitForIndex(api.base, api.started);
    const bodies = Object.fromEntries(await Promise.all(MIX.map(async ([, p]) => [p, await (await fetch(`${api.base}${p}`, { headers })).text()] as const)));
    const floor = await startFloor(bodies);
    const rows: Row[] = [];
    try {
      // Both servers warm (their code compiled, their kept answers made) before anything is timed.
      const only = argText('only');
      const mix = only === undefined ? MIX : MIX.filter(([name]) => name === only);
      for (const [, p] of mix) await Promise.all([drive(`${floor.base}${p}`, token, 1, connections), drive(`${api.base}${p}`, token, 1, connections)]);
      for (const [name, p] of mix) {
        const floorSide = await drive(`${floor.base}${p}`, token, seconds, connections);
        const before = await roundTrips(db, redis);
        const rollcall = await drive(`${api.base}${p}`, token, seconds, connections);
        const after = await roundTrips(db, redis);
        const requests = rollcall.rps * seconds;
        rows.push({ name, floor: floorSide, rollcall, pg: (after.pg - before.pg) / requests, redis: (after.redis - before.redis) / requests, bytes: Buffer.byteLength(bodies[p] as string) });
        process.stderr.write(`${name}: ${fmt(rollcall.rps)} req/s of ${fmt(floorSide.rps)}\n`);
      }
    } finally {
      floor.stop();
    }
    print(rows, users, seconds, connections);
    await printFreshness(db, schema, api.base, token, connections);
  } finally {
    api.stop();
    await redis.del(`${prefix}last-activity`);
    redis.disconnect();
    await db.destroy();
  }
}

async function markOnline(online: OnlineStore, users: number, n: number): Promise<void> {
  const r = rng(7);
  const ids = new Set<string>();
  while (ids.size < n) ids.add(String(1 + Math.floor(r() * users)));
  const all = [...ids];
  for (let i = 0; i < all.length; i += 10_000) await online.record(new Map(all.slice(i, i + 10_000).map((id) => [id, Date.now() * 1000])));
}

/** The floor's server as its own process, as rollcall's is. */
async function startFloor(bodies: Record<string, string>): Promise<{ base: string; stop: () => void }> {
  const file = path.join(tmpdir(), `rollcall-floor-${process.pid}.json`);
  writeFileSync(file, JSON.stringify(bodies));
  const port = 19_000 + Math.floor(Math.random() * 1000);
  const child = spawn(process.execPath, [path.join(__dirname, 'floorServer.js'), file, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`the floor server exited (${code})`)));
  });
  return { base: `http://127.0.0.1:${port}`, stop: () => void child.kill('SIGTERM') };
}

/** PostgreSQL transactions committed in the bench database and Redis commands processed, so far (PostgreSQL's count is flushed within a second). */
async function roundTrips(db: Knex, redis: Redis): Promise<{ pg: number; redis: number }> {
  await new Promise((r) => setTimeout(r, 1_200));
  const { rows } = await db.raw(`select xact_commit + xact_rollback as n from pg_stat_database where datname = current_database()`);
  const info = await redis.info('stats');
  return { pg: Number(rows[0].n), redis: Number(/total_commands_processed:(\d+)/.exec(info)?.[1]) };
}

/** Issue 18's bounds, under the default page's load: a commit served, a revoked token refused. */
async function printFreshness(db: Knex, schema: string, base: string, token: string, connections: number): Promise<void> {
  const idBase = 9_000_000_000_000_000_000n;
  const load = autocannon({ url: `${base}/api/customers`, connections, duration: 120, headers: { authorization: `Token ${token}` } }, () => undefined);
  const probed = await probeFreshness(db, base, token, 50, idBase).finally(() => load.stop());
  await db.raw(`delete from ${table(schema, 'users')} where id in (?, ?)`, [idBase.toString(), (idBase + 1n).toString()]);
  const p = (xs: number[], q: number) => percentile([...xs].sort((a, b) => a - b), q).toFixed(1);
  process.stdout.write(`\nunder the default page's load (${connections} connections), ${probed.served.length} commits each: a change served ${p(probed.served, 50)} / ${p(probed.served, 99)} ms after its commit (p50 / p99), a revoked token refused ${p(probed.refused, 50)} / ${p(probed.refused, 99)} ms after\n`);
}

function print(rows: Row[], users: number, seconds: number, connections: number): void {
  const side = (s: Side) => `${fmt(s.rps)} | ${s.p50.toFixed(1)} / ${s.p99.toFixed(1)}`;
  const lines = [
    `bench:throughput: ${fmt(users)} users, ${connections} connections, ${seconds} s per query and side`,
    '',
    '| query | body bytes | floor req/s | floor p50 / p99 ms | rollcall req/s | rollcall p50 / p99 ms | share of the floor | PostgreSQL statements / request | Redis commands / request |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.name} | ${fmt(r.bytes)} | ${side(r.floor)} | ${side(r.rollcall)} | 1/${(r.floor.rps / r.rollcall.rps).toFixed(1)} | ${r.pg.toFixed(2)} | ${r.redis.toFixed(2)} |${r.floor.errors + r.rollcall.errors > 0 ? ` ${r.floor.errors + r.rollcall.errors} errors` : ''}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((err) => {
  process.stderr.write(`bench:throughput failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
