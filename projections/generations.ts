import { Knex } from 'knex';
import { Db } from '../shared/db';
import { createReadModel, generationSchema, READ_MODEL_VERSION, table } from './readModel';
import { notifyChange } from './changeNotice';

export type Generation = Readonly<{ id: number; schema: string; readModelVersion: number }>;

type Row = { id: number; schema_name: string; read_model_version: number };
const toGeneration = (r: Row): Generation => ({ id: r.id, schema: r.schema_name, readModelVersion: r.read_model_version });

/**
 * The serving generation. With lock, the row is locked FOR SHARE until the transaction ends, so a
 * replay's switch (which takes it FOR UPDATE) waits for batches in flight.
 */
export async function activeGeneration(db: Db, opts: { lock?: boolean } = {}): Promise<Generation> {
  const lock = opts.lock ? ' for share' : '';
  const read = () => db.raw<{ rows: Row[] }>(`select id, schema_name, read_model_version from rollcall_generations where state = 'active'${lock}`);
  let { rows } = await read();
  // FOR SHARE waits for a replay's switch (switchGeneration); once it commits, the row waited for is no longer
  // the active one, and this statement cannot see the row that is. A second read does.
  if (rows[0] === undefined && opts.lock) ({ rows } = await read());
  const row = rows[0];
  if (row === undefined) throw new Error('no active read-model generation: run `rollcall migrate`');
  return toGeneration(row);
}

/** Creates generation 1 on a new database. Call under the migration lock. */
export async function ensureActiveGeneration(db: Db): Promise<Generation> {
  const { rows } = await db.raw<{ rows: Row[] }>(
    `select id, schema_name, read_model_version from rollcall_generations where state = 'active'`,
  );
  if (rows[0] !== undefined) return toGeneration(rows[0]);
  const schema = generationSchema(1);
  await createReadModel(db, schema);
  await db.raw(
    `insert into rollcall_generations (id, schema_name, state, read_model_version, activated_at) values (1, ?, 'active', ?, now())`,
    [schema, READ_MODEL_VERSION],
  );
  return { id: 1, schema, readModelVersion: READ_MODEL_VERSION };
}

/** A new generation beside the serving one, its tables empty, marked 'building'. */
export async function createBuildingGeneration(db: Db): Promise<Generation> {
  const { rows } = await db.raw<{ rows: { next: number }[] }>('select coalesce(max(id), 0) + 1 as next from rollcall_generations');
  const id = rows[0]?.next as number;
  const schema = generationSchema(id);
  await db.raw(`drop schema if exists "${schema}" cascade`);
  await createReadModel(db, schema);
  await db.raw(`insert into rollcall_generations (id, schema_name, state, read_model_version) values (?, ?, 'building', ?)`, [id, schema, READ_MODEL_VERSION]);
  return { id, schema, readModelVersion: READ_MODEL_VERSION };
}

/** Drops generations a replay left half-built (it was interrupted); returns their ids. */
export async function dropBuildingGenerations(db: Db): Promise<number[]> {
  const { rows } = await db.raw<{ rows: Row[] }>(`select id, schema_name, read_model_version from rollcall_generations where state = 'building'`);
  for (const r of rows) {
    await db.raw(`drop schema if exists "${r.schema_name}" cascade`);
    await db.raw('delete from rollcall_generations where id = ?', [r.id]);
  }
  return rows.map((r) => r.id);
}

/**
 * Makes `next` the serving generation if it has applied at least what the serving one has, on every
 * partition (so no reader sees the read model go back in time); returns the generation it replaced, or null
 * when `next` is still behind. Offsets the serving generation holds beyond the log's end (it was built from
 * a log since recreated) count as the log's end. Locks the serving generation's row FOR UPDATE: projector
 * batches, which hold it FOR SHARE, finish first and the next ones write into `next`.
 */
export async function switchGeneration(db: Knex, next: Generation, topic: string, logEnds: ReadonlyMap<number, bigint>): Promise<Generation | null> {
  return db.transaction(async (trx) => {
    const { rows } = await trx.raw<{ rows: Row[] }>(
      `select id, schema_name, read_model_version from rollcall_generations where state = 'active' for update`,
    );
    const current = rows[0] === undefined ? undefined : toGeneration(rows[0]);
    if (current === undefined) throw new Error('no active generation to replace');
    const ends = Object.fromEntries([...logEnds].map(([p, end]) => [String(p), end.toString()]));
    const { rows: behind } = await trx.raw<{ rows: unknown[] }>(
      `select 1 from ${table(current.schema, 'checkpoints')} c
       left join ${table(next.schema, 'checkpoints')} n on n.topic = c.topic and n.partition = c.partition
       where c.topic = ?
         and coalesce(n.next_offset, 0) < least(c.next_offset, coalesce((?::jsonb ->> c.partition::text)::bigint, c.next_offset))
       limit 1`,
      [topic, JSON.stringify(ends)],
    );
    if (behind.length > 0) return null;
    await trx.raw(`update rollcall_generations set state = 'retired' where id = ?`, [current.id]);
    await trx.raw(`update rollcall_generations set state = 'active', activated_at = now() where id = ?`, [next.id]);
    await notifyChange(trx, { kind: 'generation' });
    return current;
  });
}

export async function dropGeneration(db: Db, gen: Generation): Promise<void> {
  await db.raw(`drop schema if exists "${gen.schema}" cascade`);
}

/** The generation a replay is building and the events it has applied so far, or null when none runs. */
export async function replayProgress(db: Db): Promise<{ generation: number; applied: number } | null> {
  const { rows } = await db.raw<{ rows: Row[] }>(`select id, schema_name, read_model_version from rollcall_generations where state = 'building' order by id desc limit 1`);
  const row = rows[0];
  if (row === undefined) return null;
  const { rows: sums } = await db.raw<{ rows: { n: string }[] }>(`select coalesce(sum(next_offset), 0) as n from ${table(row.schema_name, 'checkpoints')}`);
  return { generation: row.id, applied: Number(sums[0]?.n ?? 0) };
}
