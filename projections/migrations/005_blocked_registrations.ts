import { Knex } from 'knex';
import { createBlockedRegistrations } from '../readModel';
import { forEveryGeneration } from './everyGeneration';

// Generations built before blocked registrations were recorded get the (empty) table here, so a projector of
// this version can write to them without a replay; registrations dead-lettered before it count after a replay.
export async function up(knex: Knex): Promise<void> {
  await forEveryGeneration(knex, (schema) => createBlockedRegistrations(knex, schema));
}

export async function down(): Promise<void> {
  // The table is part of every generation from now on; dropping it would break the projector.
}
