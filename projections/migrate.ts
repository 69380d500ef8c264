import { Knex } from 'knex';
import pg from 'pg';
import { createDatabaseIfMissing } from '../shared/db';
import { migrationSource } from './migrations';
import { ensureActiveGeneration, Generation } from './generations';

export const MIGRATION_LOCK = 7_270_001; // pg_advisory_lock key: one migrator at a time across processes

/**
 * Creates the database if missing, applies the knex migrations and creates the first read-model
 * generation. Safe when several processes start at once: they queue on a session advisory lock held
 * on a connection of its own (knex's own migration lock fails instead of waiting).
 */
export async function migrate(db: Knex, databaseUrl: string): Promise<Generation> {
  await createDatabaseIfMissing(databaseUrl);
  const lock = new pg.Client({ connectionString: databaseUrl });
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await db.migrate.latest({ migrationSource });
    return await db.transaction((trx) => ensureActiveGeneration(trx));
  } finally {
    await lock.end(); // ending the session releases the advisory lock
  }
}
