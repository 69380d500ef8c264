import { Knex } from 'knex';

// Dead letters `rollcall dlq redrive` has re-published, by origin, so each is redriven once.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table rollcall_dlq_redriven (
      source_topic text not null,
      source_partition integer not null,
      source_offset bigint not null,
      redriven_at timestamptz not null default now(),
      primary key (source_topic, source_partition, source_offset)
    )`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table rollcall_dlq_redriven');
}
