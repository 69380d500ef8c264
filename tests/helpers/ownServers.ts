// Servers a fault test may stop and start without disturbing the ones every other test uses (issue 7):
// a PostgreSQL cluster of its own (initdb into a temporary folder, on a free port) and a Kafka broker of
// its own (scripts/kafka/start.sh on a free port, data in .local/kafka-PORT).
import { execFile } from 'node:child_process';
import { mkdtempSync, chownSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);
const ROOT = path.join(__dirname, '../..');

/** Whether a port can be bound on 127.0.0.1 right now. */
const bindable = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });

/**
 * A free port, with the next `span - 1` ports free too, chosen below Linux's ephemeral range (32768+): a
 * port handed out by listen(0) lies in that range, where any outgoing connection (tests make many) may take
 * it, or the port after it, before the server that was meant to get it binds.
 */
export async function freePort(span = 1): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    let free = true;
    for (let p = port; free && p < port + span; p++) free = await bindable(p);
    if (free) return port;
  }
}

export type OwnPostgres = {
  url: (database: string) => string;
  stop: () => Promise<void>;
  start: () => Promise<void>;
  /** Ends every session of `database` but the caller's, as an operator or a failover would. */
  terminateSessions: (database: string) => Promise<number>;
  destroy: () => Promise<void>;
};

/** PostgreSQL refuses to run as root; the cluster then belongs to the `postgres` user. */
export const asPostgres = (cmd: string, args: string[]) =>
  process.getuid?.() === 0 ? run('runuser', ['-u', 'postgres', '--', cmd, ...args]) : run(cmd, args);

export async function pgBin(): Promise<string> {
  const { stdout } = await run('pg_config', ['--bindir']).catch(() => ({ stdout: '/usr/lib/postgresql/15/bin' }));
  return stdout.trim();
}

export async function startOwnPostgres(): Promise<OwnPostgres> {
  const bin = await pgBin();
  const dir = mkdtempSync(path.join(tmpdir(), 'rollcall-pg-'));
  if (process.getuid?.() === 0) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    chownSync(dir, Number(stdout.trim()), Number(stdout.trim()));
  }
  const port = await freePort();
  const data = path.join(dir, 'data');
  await asPostgres(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const pgCtl = (...args: string[]) => asPostgres(path.join(bin, 'pg_ctl'), ['-D', data, '-l', path.join(dir, 'server.log'), ...args]);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`;
  const start = async () => void (await pgCtl('-w', '-o', options, 'start'));
  await start();
  const url = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  return {
    url,
    start,
    stop: async () => void (await pgCtl('-w', '-m', 'fast', 'stop')),
    terminateSessions: async (database) => {
      const client = new pg.Client({ connectionString: url('postgres') });
      await client.connect();
      try {
        const { rows } = await client.query(
          'select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
          [database],
        );
        return rows[0].n as number;
      } finally {
        await client.end();
      }
    },
    destroy: async () => {
      await pgCtl('-w', '-m', 'immediate', 'stop').catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type OwnKafka = { brokers: string; stop: () => Promise<void>; start: () => Promise<void>; destroy: () => Promise<void> };

/** A broker on a free port (its controller on the next one); tries other ports if the start fails. */
export async function startOwnKafka(attempts = 3): Promise<OwnKafka> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort(2);
    const script = (name: string, ...args: string[]) => run('bash', [path.join(ROOT, 'scripts/kafka', name), String(port), ...args]);
    const start = async () => void (await script('start.sh'));
    try {
      await start();
    } catch (err) {
      await script('stop.sh', '--wipe');
      if (attempt >= attempts) throw err;
      continue;
    }
    return {
      brokers: `127.0.0.1:${port}`,
      start,
      stop: async () => void (await script('stop.sh')),
      destroy: async () => void (await script('stop.sh', '--wipe')),
    };
  }
}
