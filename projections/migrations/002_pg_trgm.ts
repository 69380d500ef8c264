import { Knex } from 'knex';

// Trigram indexes serve api.md's case-insensitive "contains" search (pg_trgm is a trusted extension).
export async function up(knex: Knex): Promise<void> {
  await knex.raw('create extension if not exists pg_trgm');
}

export async function down(): Promise<void> {
  // Other databases objects may use the extension: leave it.
}
