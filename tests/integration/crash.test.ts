// ops.md, "Delivery guarantees": the projector runs as its own process and is killed with SIGKILL at random
// moments, several times, while a history streams in. After the last restart the read model equals the
// reference fold: nothing lost, nothing applied twice.
import { spawn, ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createProjectedApp, ProjectedApp } from '../helpers/projectedApp';
import { publish } from '../helpers/events';
import { generateHistory, rng } from '../helpers/historyGenerator';
import { ReferenceFold } from '../helpers/referenceFold';
import { listAll } from '../helpers/listAll';
import { readDeadLetters } from '../helpers/dlq';

const CLI = path.join(__dirname, '../../bin/rollcall.js');
let t: ProjectedApp;
let child: ChildProcess | undefined;

beforeAll(async () => {
  t = await createProjectedApp({ KAFKA_SESSION_TIMEOUT_MS: '6000' });
});
afterAll(async () => {
  child?.kill('SIGKILL');
  await t?.closeAll();
});

const startChild = () => spawn(process.execPath, [CLI, 'project'], { env: t.env, stdio: 'ignore' });
const killChild = (c: ChildProcess) =>
  new Promise<void>((resolve) => {
    c.once('exit', () => resolve());
    c.kill('SIGKILL');
  });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('ends equal to the reference fold after repeated SIGKILLs mid-stream', async () => {
  const history = generateHistory({ seed: 11, users: 800, groups: 30 });
  const fold = new ReferenceFold();
  history.messages.forEach((m, i) => {
    if (!m.poison) fold.apply(i, JSON.parse(m.value));
  });
  const expectedDead = history.messages.filter((m, i) => m.poison || fold.ruleDeadLetters.has(i)).map((m) => m.value).sort();

  const random = rng(99);
  const chunk = 150;
  let kills = 0;
  child = startChild();
  for (let i = 0; i < history.messages.length; i += chunk) {
    await publish(t.kafka, t.config.topics.events, history.messages.slice(i, i + chunk));
    if ((i / chunk) % 3 === 2) {
      // Soon after a chunk lands, while the projector is most likely inside a batch's transaction.
      await sleep(Math.floor(random() * 400));
      await killChild(child);
      kills++;
      child = startChild();
    }
  }
  expect(kills).toBeGreaterThanOrEqual(8);
  await t.waitForOffsets(history.messages.length);

  expect(await listAll(t.app, '/api/users/', history.adminToken)).toEqual(fold.expectedObjects('staff'));
  expect(await listAll(t.app, '/api/customers', history.adminToken)).toEqual(fold.expectedObjects('customers'));
  const letters = await readDeadLetters(t.kafka, t.config.topics.dlq, expectedDead.length);
  expect(letters.map((l) => l.value).sort()).toEqual(expectedDead);
}, 240_000);
