// A first start with nothing installed (issue 8): PGlite, a real PostgreSQL build that runs in this process,
// served over its socket server on the default address, so the same `pg` driver, knex migrations and SQL
// run against it, and other processes (`rollcall seed`, `status`) find it where they look for PostgreSQL.
import { mkdirSync } from 'node:fs';
import type { Extension } from '@electric-sql/pglite';
import { Logger } from '../logger';

// A subpath export this project's moduleResolution cannot type; Node resolves it through the package's exports.
const PG_TRGM: string = '@electric-sql/pglite/contrib/pg_trgm';

export type EmbeddedPostgres = { url: string; stop: () => Promise<void> };

/** PGlite serves one database, `postgres`; its backend is one session shared by all connections. */
export async function startEmbeddedPostgres(dataDir: string, host: string, port: number, logger: Logger): Promise<EmbeddedPostgres> {
  // ESM-only packages: loaded on demand, so a deployment with a real PostgreSQL never loads them.
  const { PGlite } = await import('@electric-sql/pglite');
  const { pg_trgm } = (await import(PG_TRGM)) as { pg_trgm: Extension };
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir, { extensions: { pg_trgm } });
  // The server queues statements and keeps a transaction's statements together (one backend underneath).
  const server = new PGLiteSocketServer({ db, host, port, maxConnections: 40 });
  await server.start();
  logger.info({ dataDir, address: `${host}:${port}` }, 'no DATABASE_URL and no PostgreSQL answering: using an embedded PostgreSQL (PGlite)');
  return {
    url: `postgres://postgres@${host}:${port}/postgres`,
    stop: async () => {
      await server.stop();
      await db.close();
    },
  };
}
