// ops.md: `rollcall migrate` creates the database if missing; several processes may start at once.
import { randomBytes } from 'node:crypto';
import { createDb, dropDatabase } from '../../shared/db';
import { migrate } from '../../projections/migrate';
import { activeGeneration } from '../../projections/generations';
import { baseDatabaseUrl, databaseUrlFor, runId } from '../helpers/runEnv';

const name = `rollcall_test_${runId()}_fresh_${randomBytes(3).toString('hex')}`;
afterAll(() => dropDatabase(baseDatabaseUrl(), name));

it('creates a missing database and its first generation, with four migrators racing', async () => {
  const url = databaseUrlFor(name);
  const dbs = Array.from({ length: 4 }, () => createDb(url, { min: 0, max: 2 }));
  try {
    const generations = await Promise.all(dbs.map((db) => migrate(db, url)));
    expect(generations.map((g) => g.schema)).toEqual(['gen_1', 'gen_1', 'gen_1', 'gen_1']);
    const { rows } = await dbs[0]!.raw('select count(*)::int as n from rollcall_generations');
    expect(rows[0].n).toBe(1);
    expect((await activeGeneration(dbs[0]!)).id).toBe(1);
  } finally {
    await Promise.all(dbs.map((db) => db.destroy()));
  }
});
