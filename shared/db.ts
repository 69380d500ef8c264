import knex, { Knex } from 'knex';
import pg from 'pg';
import { Logger } from './logger';

/** Every store takes a Db, so it runs the same inside or outside a transaction. */
export type Db = Knex | Knex.Transaction;

const TIMESTAMPTZ = 1184;
const TIMESTAMPTZ_ARRAY = 1185;
// Keep timestamps as PostgreSQL prints them: a JS Date would drop the microseconds api.md requires.
pg.types.setTypeParser(TIMESTAMPTZ, (text) => text);
pg.types.setTypeParser(TIMESTAMPTZ_ARRAY as unknown as typeof TIMESTAMPTZ, (text) => text);

/** knex reports pool and connection trouble through console.log unless given a log: this sends it to pino. */
function knexLog(logger: Logger | undefined) {
  const to = (level: 'warn' | 'error' | 'debug') => (message: unknown) => logger?.[level]({ knex: String(message) }, 'postgresql client');
  return { warn: to('warn'), error: to('error'), debug: to('debug'), deprecate: to('warn') };
}

export function createDb(databaseUrl: string, pool: { min: number; max: number } = { min: 0, max: 10 }, logger?: Logger): Knex {
  return knex({
    log: knexLog(logger),
    client: 'pg',
    connection: {
      connectionString: databaseUrl,
      // Timestamps are read and written in UTC whatever the server's TimeZone; a bounded wait for a
      // statement keeps a stuck database from hanging a request forever.
      options: '-c TimeZone=UTC -c statement_timeout=30000',
      application_name: 'rollcall',
    },
    // A request waits at most this long for a connection, e.g. while PostgreSQL restarts (then 503).
    pool: { ...pool, acquireTimeoutMillis: 5_000 } as Knex.PoolConfig,
    acquireConnectionTimeout: 5_000,
  });
}

/** Creates the database named in the URL if it does not exist; safe when several processes race. */
export async function createDatabaseIfMissing(databaseUrl: string): Promise<boolean> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (name === '') throw new Error('DATABASE_URL names no database');
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount !== 0) return false;
    await client.query(`create database ${quoteIdent(name)}`);
    return true;
  } catch (err) {
    // 42P04 duplicate_database, 23505: two creators raced on pg_database's unique index.
    const code = (err as { code?: string }).code;
    if (code === '42P04' || code === '23505') return false;
    throw err;
  } finally {
    await client.end();
  }
}

export async function dropDatabase(databaseUrl: string, name: string): Promise<void> {
  const url = new URL(databaseUrl);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(`drop database if exists ${quoteIdent(name)} with (force)`);
  } finally {
    await client.end();
  }
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
