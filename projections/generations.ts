import { Db } from '../shared/db';
import { createReadModel, generationSchema, READ_MODEL_VERSION } from './readModel';

export type Generation = Readonly<{ id: number; schema: string; readModelVersion: number }>;

type Row = { id: number; schema_name: string; read_model_version: number };
const toGeneration = (r: Row): Generation => ({ id: r.id, schema: r.schema_name, readModelVersion: r.read_model_version });

/**
 * The serving generation. With lock, the row is locked FOR SHARE until the transaction ends, so a
 * replay's switch (which takes it FOR UPDATE) waits for batches in flight.
 */
export async function activeGeneration(db: Db, opts: { lock?: boolean } = {}): Promise<Generation> {
  const lock = opts.lock ? ' for share' : '';
  const { rows } = await db.raw<{ rows: Row[] }>(
    `select id, schema_name, read_model_version from rollcall_generations where state = 'active'${lock}`,
  );
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
