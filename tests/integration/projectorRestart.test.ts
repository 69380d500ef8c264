// ops.md, "Delivery guarantees": a restart resumes from the offsets stored in PostgreSQL, not from Kafka's
// group offsets, and nothing is applied twice or skipped.
import { createProjectedApp, ProjectedApp } from '../helpers/projectedApp';
import { event, publish, RawEvent } from '../helpers/events';
import { activeGeneration } from '../../projections/generations';
import { loadUsers } from '../../projections/users/store';

const registrations = (from: number, n: number): RawEvent[] =>
  Array.from({ length: n }, (_, i) => event(`user:${from + i}`, 'user.registered', 1, { username: `u${from + i}` }));
const promotions = (from: number, n: number): RawEvent[] =>
  Array.from({ length: n }, (_, i) => event(`user:${from + i}`, 'user.roles_changed', 2, { is_staff: true }));

let t: ProjectedApp;
beforeEach(async () => {
  t = await createProjectedApp();
});
afterEach(() => t?.closeAll());

async function usersNow(ids: number[]) {
  const gen = await activeGeneration(t.db);
  return loadUsers(t.db, gen.schema, ids.map(String));
}

const appliedCount = () => t.batches.flatMap((b) => b.outcomes).filter((o) => o.outcome === 'applied').length;
const duplicates = () => t.batches.flatMap((b) => b.outcomes).filter((o) => o.outcome === 'duplicate').length;

it('resumes from PostgreSQL when Kafka has no offsets for the group: nothing applied twice', async () => {
  const first = await t.startProjector();
  await publish(t.kafka, t.config.topics.events, registrations(1, 30));
  await t.waitForOffsets(30);
  await first.stop();
  expect(appliedCount()).toBe(30);

  await publish(t.kafka, t.config.topics.events, promotions(1, 30));
  // A new consumer group has no committed offsets, so Kafka would start it at the beginning.
  await t.startProjector({ kafka: { ...t.config.kafka, groupId: `${t.config.kafka.groupId}-fresh` } });
  await t.waitForOffsets(60);

  expect(appliedCount()).toBe(60);
  expect(duplicates()).toBe(0);
  const users = await usersNow(Array.from({ length: 30 }, (_, i) => i + 1));
  expect([...users.values()].every((u) => u.is_staff && u.version === '2')).toBe(true);
});

it('resumes from PostgreSQL when Kafka committed offsets are ahead: nothing skipped', async () => {
  const first = await t.startProjector();
  await publish(t.kafka, t.config.topics.events, registrations(100, 20));
  await t.waitForOffsets(20);
  await first.stop();

  await publish(t.kafka, t.config.topics.events, promotions(100, 20));
  const admin = t.kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(t.config.topics.events);
  await admin.setOffsets({ groupId: t.config.kafka.groupId, topic: t.config.topics.events, partitions: ends.map((p) => ({ partition: p.partition, offset: p.high })) });
  await admin.disconnect();

  await t.startProjector();
  await t.waitForOffsets(40);
  const users = await usersNow(Array.from({ length: 20 }, (_, i) => i + 100));
  expect(users.size).toBe(20);
  expect([...users.values()].filter((u) => !u.is_staff)).toEqual([]);
});
