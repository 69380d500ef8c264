// ops.md, "Processes": each role stops cleanly on SIGTERM, exits 0 within 10 s, and loses nothing (issue 16,
// hole 7): callers' activity still waiting to be written is written, and a batch whose dead letters cannot be
// published rolls back instead of holding the stop (it is applied after the restart).
import { spawn, ChildProcess } from 'node:child_process';
import { createProjectedApp, projectedDirectory, ProjectedApp, projectedCount } from '../helpers/projectedApp';
import { TOKENS } from '../helpers/fixtures/directory';
import { CLI } from '../helpers/cli';
import { eventually, publish } from '../helpers/events';
import { freePort } from '../helpers/ownServers';
import { readDeadLetters } from '../helpers/dlq';
import { ensureTopicsWith } from '../../shared/kafka';

let t: ProjectedApp;
beforeAll(async () => {
  t = await projectedDirectory();
}, 60_000);
afterAll(() => t?.closeAll());

const start = async (role: string, env: NodeJS.ProcessEnv = t.env) => {
  const port = await freePort();
  const child = spawn(process.execPath, [CLI, role], { env: { ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: 'ignore' });
  await eventually(async () => ((await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.status === 200 ? true : undefined), 30_000, `${role} to be ready`);
  return { child, port };
};
const stop = (child: ChildProcess) =>
  new Promise<{ code: number | null; ms: number }>((resolve) => {
    const started = Date.now();
    child.once('exit', (code) => resolve({ code, ms: Date.now() - started }));
    child.kill('SIGTERM');
  });

it('writes the activity of its last callers before it exits', async () => {
  const { child, port } = await start('api');
  const res = await fetch(`http://127.0.0.1:${port}/api/users/?limit=1`, { headers: { Authorization: `Token ${TOKENS.admin}` } });
  expect(res.status).toBe(200);
  const stopped = await stop(child); // well inside the 100 ms a caller's activity may wait to be written with others'
  expect(stopped.code).toBe(0);
  const online = await t.online.online(['1001']);
  expect([...online]).toEqual(['1001']);
}, 60_000);

it('stops within 10 s while its dead letters cannot be published, and applies the batch after the restart', async () => {
  // No projector in this process: the child's is the only one in the group.
  const u = await createProjectedApp();
  try {
    await stopsWhileDeadLettersHang(u);
  } finally {
    await u.closeAll();
  }
}, 90_000);

async function stopsWhileDeadLettersHang(t: ProjectedApp): Promise<void> {
  const { child } = await start('project', t.env);
  const admin = t.kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [t.config.topics.dlq] }); // every send to it now retries for ever
  await admin.disconnect();
  const before = await projectedCount(t.db, t.config.topics.events);
  await publish(t.kafka, t.config.topics.events, [{ subject: 'user:4242', value: 'not json' }]);
  await new Promise((r) => setTimeout(r, 2_000)); // the batch is in hand, its dead letter retrying
  const stopped = await stop(child);
  expect(stopped).toEqual({ code: 0, ms: expect.any(Number) });
  expect(stopped.ms).toBeLessThan(10_000);
  expect(await projectedCount(t.db, t.config.topics.events)).toBe(before);

  await ensureTopicsWith(t.kafka, t.config);
  const again = await start('project', t.env);
  await eventually(async () => ((await projectedCount(t.db, t.config.topics.events)) > before ? true : undefined), 30_000, 'the batch to be applied');
  expect((await readDeadLetters(t.kafka, t.config.topics.dlq, 1)).map((l) => l.value)).toEqual(['not json']);
  expect((await stop(again.child)).code).toBe(0);
}
