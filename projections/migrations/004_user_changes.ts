import { Knex } from 'knex';
import { createUserChanges } from '../readModel';
import { forEveryGeneration } from './everyGeneration';

// Generations built before the change log (readModel.ts, createUserChanges) get it here, so a projector of
// this version can write to them without a replay.
export async function up(knex: Knex): Promise<void> {
  await forEveryGeneration(knex, (schema) => createUserChanges(knex, schema));
}

export async function down(): Promise<void> {
  // The table is part of every generation from now on; dropping it would break the projector.
}
