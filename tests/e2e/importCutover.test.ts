// docs/migration.md's cutover, performed: the Django service keeps changing users (each change with its outbox
// row) before the dump, while the import runs and after it; the writer's relay then publishes the changes the
// dump does not hold, continuing the import's versions. The result is what Django reads from its own database.
import { spawn } from 'node:child_process';
import path from 'node:path';
import request from 'supertest';
import { parseJsonExact, stringifyDrf } from '../../shared/json';
import { createProjectedApp, ProjectedApp } from '../helpers/projectedApp';
import { CLI, runCli } from '../helpers/cli';
import { publish } from '../helpers/events';
import { DjangoAnswers, DjangoProject } from '../helpers/djangoProject';
import { ADMIN_KEY, BIG_ID, djangoSpec } from '../helpers/fixtures/djangoUsers';

let t: ProjectedApp;
let django: DjangoProject;
beforeAll(async () => {
  t = await createProjectedApp();
  await t.startProjector();
  django = new DjangoProject();
});
afterAll(async () => {
  django?.remove();
  await t?.closeAll();
});

const change = (ops: unknown[]) => django.manage(['change_users', '-'], JSON.stringify(ops));

/** Changes recorded in the outbox before the dump: the dump holds them, so the relay must not send them again. */
const BEFORE = [
  { op: 'update', id: 77, at: '2024-09-01T00:00:00.100000Z', fields: { first_name: 'Grace B.' } },
  { op: 'login', id: 40, at: '2024-09-01T00:00:00.200000Z' },
];
/** Made while `rollcall import` runs. */
const DURING = [
  { op: 'update', id: 77, at: '2024-09-02T00:00:00.300000Z', fields: { first_name: 'Grace C.', last_name: '' } },
  { op: 'create', at: '2024-09-02T00:00:00.400000Z', user: { id: 90, username: 'newcomer', email: 'new@example.com', is_staff: true, invited_by: 1 } },
  { op: 'join', id: 90, group: 7 },
  { op: 'token', id: 90, key: 'f00d000000000000000000000000000000000090' },
  { op: 'deactivate', id: 78, at: '2024-09-02T00:00:00.500000Z' },
  { op: 'delete', id: 6, at: '2024-09-02T00:00:00.600000Z' },
  { op: 'update', id: BIG_ID, at: '2024-09-02T00:00:00.700000Z', fields: { first_name: null, gender: 'female' } },
];
/** Made after the import, before the relay starts. */
const AFTER = [
  { op: 'update', id: 77, at: '2024-09-03T00:00:00.800000Z', fields: { first_name: 'Grace D.' } },
  { op: 'join', id: 77, group: 3 },
  { op: 'update', id: 90, at: '2024-09-03T00:00:00.900000Z', fields: { mobile_number: '+15550190', first_name: 'New' } },
];

async function served(): Promise<string[]> {
  const get = async (p: string) => {
    const res = await request(t.app.callback()).get(p).set('Authorization', `Token ${ADMIN_KEY}`);
    expect(res.status).toBe(200);
    return (parseJsonExact(res.text) as { results: Array<Record<string, unknown>> }).results;
  };
  return perUser({ users: await get('/api/users/?limit=1000'), customers: await get('/api/customers?limit=1000') });
}

/** One user a line; the caller's own is_online left out (its request makes it online: api.md). */
function perUser(a: DjangoAnswers): string[] {
  const caller = (u: Record<string, unknown>) => (String(u.id) === '1' ? { ...u, is_online: 'the caller' } : u);
  return [...a.users.map((u) => `users ${stringifyDrf(caller(u))}`), ...a.customers.map((u) => `customers ${stringifyDrf(u)}`)];
}

it('loses, doubles and reorders no change made in Django during the cutover', async () => {
  django.createUsers(djangoSpec);
  change(BEFORE);
  const dump = path.join(django.dir, 'dump.yaml');
  const mark = Number(django.manage(['dump_with_mark', '--format', 'yaml', '-o', dump]).trim());
  const versions = path.join(django.dir, 'versions.tsv');

  const importing = spawn(process.execPath, [CLI, 'import', dump, '--user-model', 'accounts.user', '--versions', versions], { env: t.env, stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => importing.once('exit', resolve));
  change(DURING);
  expect(await exited).toBe(0);
  change(AFTER);

  const relayed = django.manage(['relay', versions, String(mark)]).trimEnd().split('\n');
  expect(relayed).toHaveLength(DURING.length + AFTER.length);
  await publish(t.kafka, t.config.topics.events, relayed.map((l) => ({ subject: l.slice(0, l.indexOf('\t')), value: l.slice(l.indexOf('\t') + 1) })));
  const published = (await (async () => {
    const admin = t.kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(t.config.topics.events);
    await admin.disconnect();
    return offsets.reduce((n, p) => n + Number(p.high), 0);
  })());
  await t.waitForOffsets(published);

  expect(await served()).toEqual(perUser(django.answers()));
  // Versions by hand: user 77 had registered, profile update, login, membership (4) in the dump, which also held
  // BEFORE's update; then 3 updates/joins after it. A doubled or lost change would move it.
  const last = await runCli(t.env, 'last-version', 'user:77');
  expect([last.status, last.stdout]).toEqual([0, '7\n']);
  const admin = t.kafka.admin();
  await admin.connect();
  const dlq = await admin.fetchTopicOffsets(t.config.topics.dlq);
  await admin.disconnect();
  expect(dlq.map((p) => p.high)).toEqual(['0']);
  // Ten Django and rollcall processes start in turn: a loaded machine needs more than jest's minute for them.
}, 180_000);
