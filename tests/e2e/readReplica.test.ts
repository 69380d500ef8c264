// READ_DATABASE_URL (issue 8): `rollcall api` reads its lists only there, and writes nothing anywhere; tokens
// are read from DATABASE_URL, so a revoked or deleted token is refused at once, whatever the replica's lag
// (issue 16, hole 9). The "replica" here is a second database kept in step by a second projector (its own
// consumer group) on the same topics. While the replica's projector is stopped, what reaches only the primary
// is invisible to the lists; once it runs again, the API shows it. Such a replica can LISTEN: the API hears its
// projector's notices there (services/api/changes/readFeeds.ts), so what it commits shows at once, whatever the
// primary's projector is doing.
import { spawn, ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createProjectedApp, ProjectedApp, projectedCount } from '../helpers/projectedApp';
import { createTestEnv, TestEnv } from '../helpers/testEnv';
import { freePort } from '../helpers/ownServers';
import { directoryHistory, DIRECTORY_EVENTS, TOKENS } from '../helpers/fixtures/directory';
import { event, eventually, publish, sha256 } from '../helpers/events';
import { getText } from '../helpers/listAll';
import { startProjector, Running } from '../../services/projector/consumer';
import { activeGeneration } from '../../projections/generations';
import { table } from '../../projections/readModel';

const CLI = path.join(__dirname, '../../bin/rollcall.js');
let primary: ProjectedApp;
let replica: TestEnv;
let replicaProjector: Running | undefined;
let primaryProjector: Running | undefined;
let child: ChildProcess | undefined;
let api: string;

const startReplicaProjector = async () =>
  (replicaProjector = await startProjector({ kafka: replica.kafka, db: replica.db, config: replica.config, logger: replica.logger }));

beforeAll(async () => {
  primary = await createProjectedApp();
  const c = primary.config;
  replica = await createTestEnv({ EVENTS_TOPIC: c.topics.events, ACTIVITY_TOPIC: c.topics.activity, DLQ_TOPIC: c.topics.dlq, KAFKA_GROUP_ID: `${c.kafka.groupId}-replica` });
  primaryProjector = await primary.startProjector();
  await startReplicaProjector();
  await publish(primary.kafka, c.topics.events, directoryHistory());
  for (const db of [primary.db, replica.db]) {
    await eventually(async () => ((await projectedCount(db, c.topics.events)) === BigInt(DIRECTORY_EVENTS) ? true : undefined), 45_000, 'both databases to project');
  }
  const port = await freePort();
  api = `http://127.0.0.1:${port}`;
  child = spawn(process.execPath, [CLI, 'api'], {
    env: { ...primary.env, READ_DATABASE_URL: replica.config.databaseUrl, PORT: String(port), HOST: '127.0.0.1' },
    stdio: 'ignore',
  });
  await eventually(async () => ((await fetch(`${api}/readyz`).then((r) => r.status, () => 0)) === 200 ? true : undefined), 30_000, 'the API');
}, 120_000);

afterAll(async () => {
  child?.kill('SIGTERM');
  await replicaProjector?.stop();
  await replica?.close();
  await primary?.closeAll();
});

it('reads users only from READ_DATABASE_URL, tokens from DATABASE_URL', async () => {
  await replicaProjector?.stop();
  await publish(primary.kafka, primary.config.topics.events, [
    event('user:5555', 'user.registered', 1, { username: 'only-in-primary' }),
    event('user:5555', 'user.token_issued', 2, { token_sha256: sha256('primary-only-token') }),
    event('user:5555', 'user.roles_changed', 3, { is_admin: true }),
  ]);
  await primary.waitForOffsets(DIRECTORY_EVENTS + 3);
  const gen = await activeGeneration(primary.db);
  expect((await primary.db.raw(`select count(*)::int as n from ${table(gen.schema, 'users')} where id = 5555`)).rows[0].n).toBe(1);

  const search = await getText(api, '/api/users/?search=only-in-primary', TOKENS.admin);
  expect(JSON.parse(search.text).count).toBe(0);
  // Its token is on the primary: it authenticates, and lists what the replica holds (without itself yet).
  const own = await getText(api, '/api/users/?search=only-in-primary', 'primary-only-token');
  expect({ status: own.status, count: JSON.parse(own.text).count }).toEqual({ status: 200, count: 0 });

  await startReplicaProjector();
  await eventually(async () => ((await projectedCount(replica.db, primary.config.topics.events)) === BigInt(DIRECTORY_EVENTS + 3) ? true : undefined), 30_000, 'the replica to catch up');
  const found = await getText(api, '/api/users/?search=only-in-primary', TOKENS.admin);
  expect(JSON.parse(found.text).results.map((u: { id: number }) => u.id)).toEqual([5555]);
});

it('refuses a token revoked on the primary at once, while the replica still holds it', async () => {
  expect((await getText(api, '/api/users/', 'primary-only-token')).status).toBe(200);
  await replicaProjector?.stop();
  try {
    await publish(primary.kafka, primary.config.topics.events, [event('user:5555', 'user.token_revoked', 4, {})]);
    await primary.waitForOffsets(DIRECTORY_EVENTS + 4);
    const gen = await activeGeneration(replica.db);
    expect((await replica.db.raw(`select token_sha256 from ${table(gen.schema, 'users')} where id = 5555`)).rows[0].token_sha256).toBe(sha256('primary-only-token'));
    const refused = await getText(api, '/api/users/', 'primary-only-token');
    expect({ status: refused.status, body: refused.text }).toEqual({ status: 401, body: '{"detail":"Invalid token."}' });
  } finally {
    await startReplicaProjector();
  }
});

it("shows at once, at quiescence, what the replica's own projector commits, with the primary's projector stopped", async () => {
  await primaryProjector?.stop(); // the primary then notifies nothing: only the replica's notice can tell the API
  const events = DIRECTORY_EVENTS + 6;
  await eventually(async () => ((await projectedCount(replica.db, primary.config.topics.events)) === BigInt(events - 2) ? true : undefined), 30_000, 'the replica to catch up');
  const before = await getText(api, '/api/users/?search=replica-own', TOKENS.admin);
  expect(JSON.parse(before.text).count).toBe(0); // asked once: a kept answer, if anything is kept, says 0
  await publish(primary.kafka, primary.config.topics.events, [
    event('user:6001', 'user.registered', 1, { username: 'replica-own' }),
    event('user:6001', 'user.roles_changed', 2, { is_admin: true }), // staff: listed by /api/users/
  ]);
  await eventually(async () => ((await projectedCount(replica.db, primary.config.topics.events)) === BigInt(events) ? true : undefined), 30_000, 'the replica to apply it');
  const gen = await activeGeneration(replica.db);
  expect((await replica.db.raw(`select count(*)::int as n from ${table(gen.schema, 'users')} where username = 'replica-own'`)).rows[0].n).toBe(1);
  const seen = Date.now();
  const ids = await eventually(async () => {
    const listed = JSON.parse((await getText(api, '/api/users/?search=replica-own', TOKENS.admin)).text).results.map((u: { id: number }) => u.id);
    return listed.length > 0 ? listed : undefined;
  }, 3_000, 'the user the replica applied to be listed');
  expect(ids).toEqual([6001]);
  expect(Date.now() - seen).toBeLessThan(1_000);
});
