import { Knex } from 'knex';
import { createUserChanges } from '../readModel';

// Generations built before the change log (readModel.ts, createUserChanges) get it here, so a projector of
// this version can write to them without a replay.
export async function up(knex: Knex): Promise<void> {
  const { rows } = await knex.raw<{ rows: { schema_name: string }[] }>(
    `select g.schema_name from rollcall_generations g join information_schema.schemata s on s.schema_name = g.schema_name`,
  );
  for (const { schema_name } of rows) await createUserChanges(knex, schema_name);
}

export async function down(): Promise<void> {
  // The table is part of every generation from now on; dropping it would break the projector.
}
