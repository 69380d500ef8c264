// Migrations are listed here rather than found on disk, so they run the same from TypeScript and compiled JS.
import { Knex } from 'knex';
import * as m001 from './001_generations';
import * as m002 from './002_pg_trgm';
import * as m003 from './003_dlq_redriven';
import * as m004 from './004_user_changes';
import * as m005 from './005_blocked_registrations';

const migrations: Record<string, Knex.Migration> = {
  '001_generations': m001,
  '002_pg_trgm': m002,
  '003_dlq_redriven': m003,
  '004_user_changes': m004,
  '005_blocked_registrations': m005,
};

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations).sort(),
  getMigrationName: (name) => name,
  getMigration: async (name) => migrations[name] as Knex.Migration,
};
