import { Knex } from 'knex';

// Which generation of the read model (schema gen_<n>) serves; at most one is active.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table rollcall_generations (
      id integer primary key,
      schema_name text not null unique,
      state text not null check (state in ('building', 'active', 'retired')),
      read_model_version integer not null,
      created_at timestamptz not null default now(),
      activated_at timestamptz
    )`);
  await knex.raw(`create unique index rollcall_generations_one_active on rollcall_generations (state) where state = 'active'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table rollcall_generations');
}
