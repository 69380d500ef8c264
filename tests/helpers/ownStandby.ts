// A streaming physical standby of a test's own PostgreSQL cluster (ownServers.ts), for READ_DATABASE_URL
// (docs/scaling.md): `pg_basebackup -R` copies the primary and writes its primary_conninfo; hot_standby answers
// reads while it replays. initdb's pg_hba already trusts replication from 127.0.0.1, and wal_level is `replica`.
import { mkdtempSync, chownSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { asPostgres, freePort, OwnPostgres, pgBin } from './ownServers';
import { eventually } from './events';

export type OwnStandby = {
  url: (database: string) => string;
  /** Replay stops (WAL still arrives): what the primary commits now is not seen here until `resumeReplay`. */
  pauseReplay: () => Promise<void>;
  resumeReplay: () => Promise<void>;
  /** Waits (bounded) until this standby has replayed everything the primary had written when called. */
  caughtUp: () => Promise<void>;
  destroy: () => Promise<void>;
};

async function query<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

export async function startOwnStandby(primary: OwnPostgres): Promise<OwnStandby> {
  const bin = await pgBin();
  const dir = mkdtempSync(path.join(tmpdir(), 'rollcall-standby-'));
  if (process.getuid?.() === 0) {
    const uid = Number((await asPostgres('id', ['-u'])).stdout.trim());
    chownSync(dir, uid, uid);
  }
  const data = path.join(dir, 'data');
  const source = new URL(primary.url('postgres'));
  await asPostgres(path.join(bin, 'pg_basebackup'), ['-h', source.hostname, '-p', source.port, '-U', 'postgres', '-D', data, '-R', '-X', 'stream', '--no-sync']);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60 -c hot_standby=on`;
  await asPostgres(path.join(bin, 'pg_ctl'), ['-D', data, '-l', path.join(dir, 'server.log'), '-w', '-o', options, 'start']);
  const url = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  return {
    url,
    pauseReplay: async () => void (await query(url('postgres'), 'select pg_wal_replay_pause()')),
    resumeReplay: async () => void (await query(url('postgres'), 'select pg_wal_replay_resume()')),
    caughtUp: async () => {
      const [written] = await query<{ lsn: string }>(primary.url('postgres'), 'select pg_current_wal_lsn()::text as lsn');
      await eventually(async () => {
        const [row] = await query<{ done: boolean }>(url('postgres'), 'select pg_last_wal_replay_lsn() >= $1::pg_lsn as done', [written?.lsn]);
        return row?.done === true ? true : undefined;
      }, 20_000, 'the standby to replay the primary');
    },
    destroy: async () => {
      await asPostgres(path.join(bin, 'pg_ctl'), ['-D', data, '-w', '-m', 'immediate', 'stop']).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
