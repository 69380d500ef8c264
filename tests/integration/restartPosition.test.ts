// Issue 16, hole 1: a restart resumes from the offsets PostgreSQL holds (ops.md), even when Kafka's group
// offsets ran ahead of them (kafkajs commits when a batch is handed over, before PostgreSQL commits) and the
// stored offsets cannot be read at first (PostgreSQL briefly down, or the pool out of connections under load).
// No batch that starts past the stored offset may be applied: the events between would be lost silently.
// PostgreSQL is this test's own.
import { createTestEnv, TestEnv } from '../helpers/testEnv';
import { startOwnPostgres, OwnPostgres } from '../helpers/ownServers';
import { event, eventually, publish } from '../helpers/events';
import { projectedCount } from '../helpers/projectedApp';
import { startProjector, Running } from '../../services/projector/consumer';
import { activeGeneration } from '../../projections/generations';
import { createDb } from '../../shared/db';

let pgs: OwnPostgres;
let t: TestEnv;
let projector: Running | undefined;
beforeAll(async () => {
  pgs = await startOwnPostgres();
  t = await createTestEnv({ DATABASE_URL: pgs.url('rollcall_restart') });
}, 120_000);
afterAll(async () => {
  await projector?.stop().catch(() => undefined);
  await t?.close();
  await pgs?.destroy();
}, 60_000);

const registrations = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => event(`user:${from + i}`, 'user.registered', 1, { username: `u${from + i}` }));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** 60 events applied, then 60 more published after Kafka's group offsets were moved to the log end. */
async function kafkaAheadOfPostgres(first: number): Promise<void> {
  const topic = t.config.topics.events;
  await publish(t.kafka, topic, registrations(first, 60));
  const admin = t.kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.setOffsets({ groupId: t.config.kafka.groupId, topic, partitions: ends.map((e) => ({ partition: e.partition, offset: e.high })) });
  await admin.disconnect();
  await publish(t.kafka, topic, registrations(first + 1_000, 60));
}

/** Every message of the topic is the registration of a user of its own: all of them must exist. */
async function expectAllApplied(): Promise<void> {
  const admin = t.kafka.admin();
  await admin.connect();
  const users = (await admin.fetchTopicOffsets(t.config.topics.events)).reduce((n, p) => n + Number(p.high), 0);
  await admin.disconnect();
  await eventually(async () => ((await projectedCount(t.db, t.config.topics.events).catch(() => -1n)) >= BigInt(users) ? true : undefined), 60_000, 'the projector to catch up');
  const { rows } = await t.db.raw(`select count(*)::int as n from ${(await activeGeneration(t.db)).schema}.users`);
  expect(rows[0].n).toBe(users);
}

it('applies every event when Kafka committed past PostgreSQL and PostgreSQL was down at the restart', async () => {
  await kafkaAheadOfPostgres(1);
  await pgs.stop();
  projector = await startProjector({ kafka: t.kafka, db: t.db, config: t.config, logger: t.logger });
  await sleep(1_500); // the assignment's seek and the first batches' checks meet a PostgreSQL that is down
  await pgs.start();
  await expectAllApplied();
  await projector.stop();
  projector = undefined;
}, 120_000);

it('applies every event when Kafka committed past PostgreSQL and the pool timed out at the restart', async () => {
  await kafkaAheadOfPostgres(10_000);
  // The projector's pool is busy with other work (the API's, in `rollcall all`) for longer than a connection is waited for.
  const db = createDb(t.config.databaseUrl, { min: 0, max: 2 });
  const busy = Promise.all([db.raw('select pg_sleep(8)'), db.raw('select pg_sleep(8)')]);
  try {
    projector = await startProjector({ kafka: t.kafka, db, config: t.config, logger: t.logger });
    await busy;
    await expectAllApplied();
  } finally {
    await projector?.stop();
    projector = undefined;
    await db.destroy();
  }
}, 120_000);
