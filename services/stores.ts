// Where a role's data lives (issue 8). Configured servers are used as they are. With DATABASE_URL unset and
// no PostgreSQL answering at its default address, an embedded PostgreSQL (PGlite) serves that address; with
// REDIS_URL unset and no Redis answering, `rollcall all` (one process, so one memory) keeps token activity
// in-process, and a separate role says it needs Redis and waits for one. READ_DATABASE_URL, when set, is
// where the API reads.
import { connect } from 'node:net';
import { Knex } from 'knex';
import Redis from 'ioredis';
import { Config } from '../shared/config';
import { createDb } from '../shared/db';
import { Logger } from '../shared/logger';
import { createRedis } from '../shared/redis';
import { OnlineStatus, OnlineStore } from '../shared/activity/onlineStore';
import { MemoryOnlineStore } from '../shared/activity/memoryOnlineStore';
import { startEmbeddedPostgres } from '../shared/embedded/postgres';

/**
 * PGlite runs one backend for every connection, and its socket server interleaves the protocol messages of
 * concurrent connections (one connection's Bind can meet another's Parse): one connection, queries queued.
 */
const EMBEDDED_POOL = { min: 0, max: 1 };

export type Stores = {
  config: Config;
  /** Where everything is written (and read, but for the API when READ_DATABASE_URL is set). */
  db: Knex;
  /** Where the API reads. */
  readDb: Knex;
  /**
   * Where /metrics reads its figures (at most once a second, services/api/metricsText.ts): one connection of its
   * own, so that scrapes never take one from the pages (issue 27). The embedded PostgreSQL's one connection, `db`.
   */
  metricsDb: Knex;
  redis: Redis | null;
  online: OnlineStatus;
  /** Whether PostgreSQL is the embedded one (one connection for everything: nobody can LISTEN). */
  embedded: boolean;
  close: () => Promise<void>;
};

/** Whether something accepts TCP connections at the URL's host and port, within half a second. */
export function answers(url: string, defaultPort: number): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || defaultPort), timeout: 500 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

export async function openStores(given: Config, oneProcess: boolean, logger: Logger): Promise<Stores> {
  const closers: Array<() => Promise<unknown>> = [];
  const { config, db, readDb, metricsDb, embedded } = await openDatabases(given, closers, logger);
  const { redis, online } = await openActivity(config, oneProcess, closers, logger);
  return {
    config, db, readDb, metricsDb, redis, online, embedded,
    close: async () => {
      for (const close of closers) await close().catch((err) => logger.error({ err }, 'error while closing'));
    },
  };
}

type Closers = Array<() => Promise<unknown>>;

async function openDatabases(given: Config, closers: Closers, logger: Logger) {
  let config = given;
  let pool = { min: 0, max: 10 };
  if (config.databaseUrlDefaulted && !(await answers(config.databaseUrl, 5432))) {
    const port = Number(new URL(config.databaseUrl).port || 5432);
    const embedded = await startEmbeddedPostgres(config.pgliteDataDir, '127.0.0.1', port, logger);
    closers.push(embedded.stop);
    config = { ...config, databaseUrl: embedded.url, readDatabaseUrl: embedded.url };
    pool = EMBEDDED_POOL;
  }
  const db = createDb(config.databaseUrl, pool, logger);
  const readDb = config.readDatabaseUrl === config.databaseUrl ? db : createDb(config.readDatabaseUrl, undefined, logger);
  if (readDb !== db) logger.info('the API reads from READ_DATABASE_URL');
  const embedded = pool === EMBEDDED_POOL;
  const metricsDb = embedded ? db : createDb(config.readDatabaseUrl, { min: 0, max: 1 }, logger);
  closers.unshift(() => db.destroy(), ...(readDb === db ? [] : [() => readDb.destroy()]), ...(metricsDb === db ? [] : [() => metricsDb.destroy()]));
  return { config, db, readDb, metricsDb, embedded };
}

async function openActivity(config: Config, oneProcess: boolean, closers: Closers, logger: Logger): Promise<{ redis: Redis | null; online: OnlineStatus }> {
  const redisMissing = config.redisUrlDefaulted && !(await answers(config.redisUrl, 6379));
  if (redisMissing && oneProcess) {
    logger.info('no REDIS_URL and no Redis answering: token activity is kept in this process');
    return { redis: null, online: new MemoryOnlineStore(config.onlineWindowSeconds) };
  }
  if (redisMissing) {
    logger.warn({ redisUrl: config.redisUrl }, 'no REDIS_URL and no Redis answering: this role needs Redis (only `rollcall all` keeps activity in-process); waiting for one');
  }
  const redis = createRedis(config.redisUrl, logger);
  closers.unshift(async () => redis.disconnect());
  // A Redis outage is logged once by its client (shared/redis.ts); each unwritten batch of callers' activity
  // is only a debug line, so an outage cannot flood the logs.
  const touchFailed = (err: unknown) => logger.debug({ err }, 'could not record token activity');
  return { redis, online: new OnlineStore(redis, config.redisPrefix, config.onlineWindowSeconds, touchFailed) };
}
