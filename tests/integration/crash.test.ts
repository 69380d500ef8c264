// ops.md, "Delivery guarantees": the projector runs as its own process and is killed with SIGKILL inside a
// batch's transaction, several times, while a history streams in. After the last restart the read model equals the
// reference fold: nothing lost, nothing applied twice.
import { spawn, ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../helpers/ownServers';
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
  t = await createProjectedApp({ KAFKA_SESSION_TIMEOUT_MS: '2000' });
  childPort = await freePort();
});
afterAll(async () => {
  child?.kill('SIGKILL');
  await t?.closeAll();
});

let childPort: number;
// The child's service endpoints get a port of its own, not the default 8000 another test's child may hold.
const startChild = () => spawn(process.execPath, [CLI, 'project'], { env: { ...t.env, PORT: String(childPort), HOST: '127.0.0.1' }, stdio: 'ignore' });
const killChild = (c: ChildProcess) =>
  new Promise<void>((resolve) => {
    c.once('exit', () => resolve());
    c.kill('SIGKILL');
  });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Until a session other than this test's holds a transaction that has written (or 10 s pass): a batch mid-way. */
const untilWriting = async () => {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const { rows } = await t.db.raw(
      `select count(*)::int as n from pg_stat_activity
       where datname = current_database() and pid <> pg_backend_pid() and backend_xid is not null`,
    );
    if (rows[0].n > 0) return;
    await sleep(2);
  }
};
const rollbacks = async () => {
  await t.db.raw('select pg_stat_clear_snapshot()');
  const { rows } = await t.db.raw('select xact_rollback::int as n from pg_stat_database where datname = current_database()');
  return rows[0].n as number;
};

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
  const rollbacksBefore = await rollbacks();
  child = startChild();
  for (let i = 0; i < history.messages.length; i += chunk) {
    await publish(t.kafka, t.config.topics.events, history.messages.slice(i, i + chunk));
    if ((i / chunk) % 3 === 2) {
      // While this child applies the new chunk: polled from the publish on, since a chunk can be applied in a
      // transaction or two of a few milliseconds (waiting for its first commit first often found it done).
      await sleep(Math.floor(random() * 5));
      await untilWriting();
      await killChild(child);
      kills++;
      child = startChild();
    }
  }
  expect(kills).toBeGreaterThanOrEqual(8);
  await t.waitForOffsets(history.messages.length);
  // Transactions that PostgreSQL rolled back because their connection died: kills landed mid-batch.
  const interrupted = (await rollbacks()) - rollbacksBefore;
  process.stdout.write(`crash test: ${kills} kills, ${interrupted} transactions rolled back\n`);
  expect(interrupted).toBeGreaterThanOrEqual(1);

  expect(await listAll(t.app, '/api/users/', history.adminToken)).toEqual(fold.expectedObjects('staff'));
  expect(await listAll(t.app, '/api/customers', history.adminToken)).toEqual(fold.expectedObjects('customers'));
  const letters = await readDeadLetters(t.kafka, t.config.topics.dlq, expectedDead.length);
  expect(letters.map((l) => l.value).sort()).toEqual(expectedDead);
}, 240_000);
