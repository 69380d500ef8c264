// Issue 27, hole 5: a finishing load reset the "loading" mark while a load of another schema (a replay's) still
// ran, so a request for that schema started a second load of it beside the first: the index's memory doubled.
// The second schema's load is held on a lock here, so that the order of events is the same at every run.
import pg from 'pg';
import { Gauge } from 'prom-client';
import { createTestEnv, TestEnv } from '../helpers/testEnv';
import { capturingLogger } from '../helpers/logLines';
import { eventually } from '../helpers/events';
import { IndexHolder } from '../../services/api/index/holder';
import { flagsSql } from '../../services/api/listing/parse/indexQuery';
import { activeGeneration, createBuildingGeneration } from '../../projections/generations';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(() => env?.close());

const gauge = () => new Gauge({ name: `unused_${Math.random().toString(36).slice(2)}`, help: 'unused', registers: [] });

/** Statements of this database (this file's own) waiting on a lock: the loads held back. */
async function waiting(): Promise<number> {
  const { rows } = await env.db.raw<{ rows: { n: number }[] }>(
    `select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
  );
  return rows[0]?.n ?? 0;
}

it('runs one load at a time: a load ending while another schema loads does not let a third start', async () => {
  const serving = (await activeGeneration(env.db)).schema;
  const replays = (await createBuildingGeneration(env.db)).schema;
  const { logger, lines } = capturingLogger();
  const holder = new IndexHolder(env.db, logger, { users: gauge(), bytes: gauge(), loaded: gauge() }, { search: true, enabled: true, flags: flagsSql() });
  const loadsOf = (schema: string) => lines.filter((l) => l.msg.startsWith('in-memory index loaded') && l.schema === schema).length;
  const lock = new pg.Client({ connectionString: env.config.databaseUrl });
  await lock.connect();
  try {
    await lock.query('begin');
    await lock.query(`lock table "${replays}".checkpoints in access exclusive mode`);
    holder.warm(serving);
    holder.warm(replays); // the switch heard while the serving schema's load runs
    await eventually(async () => (loadsOf(serving) === 1 ? true : undefined), 10_000, 'the serving schema\'s load');
    expect(await holder.current(replays)).toBeNull(); // a request for the replay's schema while its load waits
    await eventually(async () => ((await waiting()) > 0 ? true : undefined), 10_000, 'the replay schema\'s load');
    await new Promise((r) => setTimeout(r, 500)); // time for a second load to reach the lock, if one started
    expect(await waiting()).toBe(1);
    await lock.query('rollback');
    await eventually(async () => (loadsOf(replays) >= 1 ? true : undefined), 10_000, 'the replay schema\'s index');
    await new Promise((r) => setTimeout(r, 300));
    expect(loadsOf(replays)).toBe(1);
    expect((await holder.current(replays))?.schema).toBe(replays);
  } finally {
    await lock.end();
  }
});
