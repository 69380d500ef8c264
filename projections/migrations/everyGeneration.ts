import { Knex } from 'knex';

/** Runs fn on every generation's schema that exists: how a migration adds a table to generations built before it. */
export async function forEveryGeneration(knex: Knex, fn: (schema: string) => Promise<void>): Promise<void> {
  const { rows } = await knex.raw<{ rows: { schema_name: string }[] }>(
    `select g.schema_name from rollcall_generations g join information_schema.schemata s on s.schema_name = g.schema_name`,
  );
  for (const { schema_name } of rows) await fn(schema_name);
}
