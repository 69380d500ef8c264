// For the knex CLI (`npx knex migrate:status`); rollcall itself migrates through `rollcall migrate`.
import type { Knex } from 'knex';
import { loadConfig } from './shared/config';
import { migrationSource } from './projections/migrations';

const config: Knex.Config = {
  client: 'pg',
  connection: loadConfig().databaseUrl,
  migrations: { migrationSource },
};

export default config;
