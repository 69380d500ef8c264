// Issue 16, hole 2: nothing about a batch stops the projection. A fetched batch can hold 4 MB of messages:
// their dead letters, sent as one request, would exceed the DLQ's 1 MB message size; its transaction may take
// longer than PostgreSQL's statement_timeout. Either failed for ever, the batch rolling back and coming again.
import { createProjectedApp, ProjectedApp } from '../helpers/projectedApp';
import { event, publish } from '../helpers/events';
import { readDeadLetters } from '../helpers/dlq';
import { createProducer } from '../../shared/kafka';
import { eventually } from '../helpers/events';
import { projectedCount } from '../helpers/projectedApp';
import { startProjector } from '../../services/projector/consumer';
import knex from 'knex';

let t: ProjectedApp;
beforeAll(async () => {
  t = await createProjectedApp();
});
afterAll(() => t?.closeAll());

it('dead-letters 4 MB of bad events in one partition and goes on', async () => {
  // Each just under the events topic's 1 MB limit, all under one key: one partition, fetched as one batch.
  const big = Array.from({ length: 5 }, (_, i) => `${i}${'x'.repeat(900_000)}`);
  const producer = createProducer(t.kafka);
  await producer.connect();
  for (const value of big) await producer.send({ topic: t.config.topics.events, acks: -1, messages: [{ key: 'user:7', value }] });
  await producer.disconnect();
  await publish(t.kafka, t.config.topics.events, [event('user:7', 'user.registered', 1, { username: 'after' })]);

  await t.startProjector();
  await t.waitForOffsets(big.length + 1);
  const letters = await readDeadLetters(t.kafka, t.config.topics.dlq, big.length);
  expect(letters.map((l) => l.value.slice(0, 1)).sort()).toEqual(['0', '1', '2', '3', '4']);
  const { rows } = await t.db.raw(`select username from gen_1.users where id = 7`);
  expect(rows).toEqual([{ username: 'after' }]);
}, 90_000);

it('applies a batch whose transaction is slower than statement_timeout, in smaller parts', async () => {
  const u = await createProjectedApp();
  // The projector's own connections, with a statement_timeout a whole fetched batch cannot meet here.
  const db = knex({ client: 'pg', connection: { connectionString: u.config.databaseUrl, options: '-c TimeZone=UTC -c statement_timeout=100' }, pool: { min: 0, max: 4 } });
  // GIN's pending list is flushed by whichever insert fills it, in one statement no batch size changes: written
  // through at once here, so that what times out is the size of the batch.
  const gin = await u.db.raw(`select i.indexrelid::regclass::text as name from pg_index i join pg_class c on c.oid = i.indexrelid join pg_am a on a.oid = c.relam where i.indrelid = 'gen_1.users'::regclass and a.amname = 'gin'`);
  for (const { name } of gin.rows) await u.db.raw(`alter index ${name} set (fastupdate = off)`);
  const events = Array.from({ length: 12_000 }, (_, i) => event(`user:${i + 1}`, 'user.registered', 1, { username: `u${i}`, email: `u${i}@example.com` }));
  await publish(u.kafka, u.config.topics.events, events);
  const projector = await startProjector({ kafka: u.kafka, db, config: u.config, logger: u.logger });
  try {
    await eventually(async () => ((await projectedCount(u.db, u.config.topics.events)) >= 12_000n ? true : undefined), 60_000, 'every event applied');
    const { rows } = await u.db.raw(`select count(*)::int as n from gen_1.users`);
    expect(rows[0].n).toBe(12_000);
  } finally {
    await projector.stop();
    await db.destroy();
    await u.closeAll();
  }
}, 120_000);
