// ops.md: several `rollcall project` processes share the partitions through the consumer group.
import { createProjectedApp, ProjectedApp } from '../helpers/projectedApp';
import { publish } from '../helpers/events';
import { generateHistory } from '../helpers/historyGenerator';
import { ReferenceFold } from '../helpers/referenceFold';
import { listAll } from '../helpers/listAll';
import { startProjector, Running } from '../../services/projector/consumer';

let t: ProjectedApp;
const running: Running[] = [];
beforeAll(async () => {
  t = await createProjectedApp({ KAFKA_SESSION_TIMEOUT_MS: '2000' });
});
afterAll(async () => {
  for (const r of running) await r.stop();
  await t?.closeAll();
});

it('splits the partitions between two projectors, and together they fold the whole history', async () => {
  const partitionsOf = [new Set<number>(), new Set<number>()];
  for (const n of [0, 1]) {
    running.push(await startProjector({
      kafka: t.kafka, db: t.db, config: t.config, logger: t.logger,
      onBatch: (b) => b.outcomes.length > 0 && partitionsOf[n]!.add(b.partition),
    }));
  }
  const history = generateHistory({ seed: 5, users: 600, groups: 20 });
  const fold = new ReferenceFold();
  history.messages.forEach((m, i) => !m.poison && fold.apply(i, JSON.parse(m.value)));
  await publish(t.kafka, t.config.topics.events, history.messages);
  await t.waitForOffsets(history.messages.length);

  expect(partitionsOf[0]!.size).toBeGreaterThan(0);
  expect(partitionsOf[1]!.size).toBeGreaterThan(0);
  expect([...partitionsOf[0]!].filter((p) => partitionsOf[1]!.has(p))).toEqual([]);
  expect(await listAll(t.app, '/api/users/', history.adminToken)).toEqual(fold.expectedObjects('staff'));
  expect(await listAll(t.app, '/api/customers', history.adminToken)).toEqual(fold.expectedObjects('customers'));
});
