// `rollcall status --json` (ops.md): figures checked against what the test published.
import { createProjectedApp, ProjectedApp } from '../helpers/projectedApp';
import { event, publish } from '../helpers/events';
import { runCli, succeeded } from '../helpers/cli';

let t: ProjectedApp;
beforeAll(async () => {
  t = await createProjectedApp();
});
afterAll(() => t?.closeAll());

const status = async () => {
  const r = await runCli(t.env, 'status', '--json');
  const stdout = succeeded(r);
  expect(r.stderr).toBe('');
  return JSON.parse(stdout);
};
const sum = (xs: Array<Record<string, string>>, k: string) => xs.reduce((s, p) => s + Number(p[k]), 0);

it('reports log ends, applied offsets, lag, the last event time, the generation and the DLQ size', async () => {
  const projector = await t.startProjector();
  const good = Array.from({ length: 30 }, (_, i) => event(`user:${i + 1}`, 'user.registered', 1, { username: `u${i}` }, `2026-03-0${1 + (i % 5)}T10:00:00.000001Z`));
  const poison = [{ subject: 'user:99', value: 'not json' }, event('user:98', 'user.roles_changed', 1, { is_admin: true })];
  await publish(t.kafka, t.config.topics.events, [...good, ...poison]);
  await t.waitForOffsets(32);

  const caughtUp = await status();
  expect(caughtUp.partitions).toHaveLength(6);
  expect(sum(caughtUp.partitions, 'logEnd')).toBe(32);
  expect(sum(caughtUp.partitions, 'applied')).toBe(32);
  expect(caughtUp.totalLag).toBe('0');
  expect(caughtUp.lastAppliedEventTime).toBe('2026-03-05 10:00:00.000001+00');
  expect(caughtUp.generation).toEqual({ id: 1, schema: 'gen_1', readModelVersion: 1 });
  expect(caughtUp.dlq.messages).toBe('2');
  expect(caughtUp.warning).toBeNull();

  await projector.stop();
  await publish(t.kafka, t.config.topics.events, Array.from({ length: 5 }, (_, i) => event(`user:${i + 100}`, 'user.registered', 1, { username: `v${i}` })));
  const behind = await status();
  expect(behind.totalLag).toBe('5');
  expect(sum(behind.partitions, 'logEnd') - sum(behind.partitions, 'applied')).toBe(5);
});

it('prints a table for people', async () => {
  const stdout = succeeded(await runCli(t.env, 'status'));
  expect(stdout).toMatch(/^topic user-events-/);
  expect(stdout).toMatch(/total lag: 5\n/);
  expect(stdout).toMatch(/read-model generation: 1 \(gen_1, read model v1\)/);
});
