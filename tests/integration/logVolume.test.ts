// Issue 16, hole 8: what the projector logs is bounded by its batches, not by what publishers send. A flood of
// bad events and gaps gives one line per batch for each, and together they still name every dead letter.
import { createTestEnv, TestEnv } from '../helpers/testEnv';
import { event, publish } from '../helpers/events';
import { capturingLogger } from '../helpers/logLines';
import { projectedCount } from '../helpers/projectedApp';
import { eventually } from '../helpers/events';
import { startProjector, Running } from '../../services/projector/consumer';
import { BatchResult } from '../../projections/applyBatch';

let t: TestEnv;
let projector: Running | undefined;
beforeAll(async () => {
  t = await createTestEnv();
});
afterAll(async () => {
  await projector?.stop();
  await t?.close();
});

it('logs dead letters and gaps once per batch, whatever their number', async () => {
  const bad = Array.from({ length: 400 }, (_, i) => ({ subject: `user:${i + 1}`, value: `not json ${i}` }));
  const gaps = Array.from({ length: 100 }, (_, i) => [
    event(`user:${i + 1000}`, 'user.registered', 1, { username: `u${i}` }),
    event(`user:${i + 1000}`, 'user.logged_in', 3, {}),
  ]).flat();
  await publish(t.kafka, t.config.topics.events, [...bad, ...gaps]);
  const { logger, lines } = capturingLogger();
  const batches: BatchResult[] = [];
  projector = await startProjector({ kafka: t.kafka, db: t.db, config: t.config, logger, onBatch: (b) => batches.push(b) });
  await eventually(async () => ((await projectedCount(t.db, t.config.topics.events)) >= 600n ? true : undefined), 30_000, 'the projector');

  const dead = lines.filter((l) => l.msg === 'events dead-lettered');
  const gapLines = lines.filter((l) => l.msg === 'version gaps: events were lost upstream');
  expect(dead.reduce((n, l) => n + (l.deadLetters as number), 0)).toBe(400);
  expect(gapLines.reduce((n, l) => n + (l.gaps as number), 0)).toBe(100);
  expect(dead.length + gapLines.length).toBeLessThanOrEqual(2 * batches.length);
  expect(lines.filter((l) => l.level >= 40).length).toBeLessThan(40);
});
