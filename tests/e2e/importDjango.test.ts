// `rollcall import` of dumps written by a real Django (`manage.py dumpdata`), projected and served: every
// answer of both endpoints is what the Django project itself reads from its database (its print_users command).
import request from 'supertest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseJsonExact, stringifyDrf } from '../../shared/json';
import { createProjectedApp, ProjectedApp } from '../helpers/projectedApp';
import { runCli } from '../helpers/cli';
import { publish } from '../helpers/events';
import { DjangoAnswers, DjangoProject } from '../helpers/djangoProject';
import { ADMIN_KEY, BIG_ID, CUSTOMER_KEY, djangoSpec, STAFF_KEY } from '../helpers/fixtures/djangoUsers';

let django: DjangoProject;
let expected: DjangoAnswers;

beforeAll(() => {
  django = new DjangoProject();
  django.createUsers(djangoSpec);
  expected = django.answers();
});
afterAll(() => django?.remove());

/** Both endpoints, every user, as rollcall serves them to the admin (ids exact, key order kept). */
async function served(t: ProjectedApp): Promise<DjangoAnswers> {
  const get = async (p: string) => {
    const res = await request(t.app.callback()).get(p).set('Authorization', `Token ${ADMIN_KEY}`);
    expect(res.status).toBe(200);
    return (parseJsonExact(res.text) as { results: Array<Record<string, unknown>> }).results;
  };
  return { users: await get('/api/users/?limit=1000'), customers: await get('/api/customers?limit=1000') };
}

/**
 * The answers one user a line, for a readable diff. The caller's own is_online is left out: its request makes it
 * online (api.md) a moment after the answer or before it, and Django's project records no activity.
 */
function perUser(answers: DjangoAnswers): string[] {
  const caller = (u: Record<string, unknown>) => (String(u.id) === '1' ? { ...u, is_online: 'the caller' } : u);
  return [...answers.users.map((u) => `users ${stringifyDrf(caller(u))}`), ...answers.customers.map((u) => `customers ${stringifyDrf(u)}`)];
}

/** Django's JSON encoder keeps milliseconds only (django/core/serializers/json.py, DjangoJSONEncoder). */
function toMilliseconds(answers: DjangoAnswers): DjangoAnswers {
  const cut = (v: unknown) => (typeof v === 'string' ? v.replace(/^(.{19})\.(\d{3})\d{3}Z$/, (_, s: string, ms: string) => (ms === '000' ? `${s}Z` : `${s}.${ms}000Z`)) : v);
  const each = (o: Record<string, unknown>) => ({ ...o, last_login: cut(o.last_login), created_at: cut(o.created_at), updated_at: cut(o.updated_at) });
  return { users: answers.users.map(each), customers: answers.customers.map(each) };
}

async function publishedCount(t: ProjectedApp): Promise<number> {
  const admin = t.kafka.admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(t.config.topics.events)).reduce((n, p) => n + Number(p.high), 0);
  } finally {
    await admin.disconnect();
  }
}

const importArgs = (file: string, ...more: string[]) => ['import', file, '--user-model', 'accounts.user', ...more];

describe.each([
  ['yaml', (a: DjangoAnswers) => a],
  ['json', toMilliseconds],
  ['jsonl', toMilliseconds],
] as const)('a %s dump', (format, asDumped) => {
  let t: ProjectedApp;
  beforeAll(async () => {
    t = await createProjectedApp();
    await t.startProjector();
  });
  afterAll(() => t?.closeAll());

  it('imports, and both endpoints answer what Django reads from its own database', async () => {
    const dump = django.dump(format);
    const run = await runCli(t.env, ...importArgs(dump));
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^imported 9 users \(3 with a token\) and 3 groups: \d+ events published/);
    await t.waitForOffsets(await publishedCount(t));
    expect(perUser(await served(t))).toEqual(perUser(asDumped(expected)));
  });
});

describe('a run interrupted and started again', () => {
  let t: ProjectedApp;
  beforeAll(async () => {
    t = await createProjectedApp();
    await t.startProjector();
  });
  afterAll(() => t?.closeAll());

  it('leaves the state of one complete run, and the versions the writer continues from', async () => {
    const dump = django.dump('yaml');
    const out = path.join(django.dir, 'events.tsv');
    expect((await runCli(t.env, ...importArgs(dump, '--out', out))).status).toBe(0);
    // What the killed run had sent: the first events, in the order the import sends them, cut inside a user.
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    const cut = lines.findIndex((l) => l.startsWith('user:1\t')) + 3;
    await publish(t.kafka, t.config.topics.events, lines.slice(0, cut).map((l) => ({ subject: l.slice(0, l.indexOf('\t')), value: l.slice(l.indexOf('\t') + 1) })));
    const versions = path.join(django.dir, 'versions.tsv');
    for (let run = 0; run < 2; run++) expect((await runCli(t.env, ...importArgs(dump, '--versions', versions))).status).toBe(0);
    await t.waitForOffsets(cut + 2 * lines.length);
    expect(perUser(await served(t))).toEqual(perUser(expected));

    // Written by hand from the spec: registered, profile update, login, token, 2 memberships, 1 permission.
    const file = new Map(readFileSync(versions, 'utf8').trimEnd().split('\n').map((l) => l.split('\t') as [string, string]));
    expect(file.get('user:1')).toBe('7');
    expect(file.get(`user:${BIG_ID}`)).toBe('2'); // registered, token
    expect(file.get('user:41')).toBe('3'); // registered, two permissions
    expect(file.get('group:12')).toBe('3'); // created, two permissions
    expect(file.has('user:5')).toBe(false); // deleted in Django before the dump
    const last = await runCli(t.env, 'last-version', 'user:1');
    expect([last.status, last.stdout]).toEqual([0, '7\n']);
  });
});

describe('bad rows', () => {
  it('are reported with model, primary key and reason; the rest imports; exit code 1; no raw key written', async () => {
    const bad = new DjangoProject();
    try {
      bad.createUsers({
        users: [
          { id: 1, username: 'fine', created_at: '2024-01-01T00:00:00Z', updated_at: '2024-01-01T00:00:00Z', token: ADMIN_KEY },
          { id: 2, username: 'n'.repeat(151), created_at: '2024-01-01T00:00:00Z', token: STAFF_KEY },
          { id: 3, username: 'odd', gender: 'unknown', created_at: '2024-01-01T00:00:00Z' },
        ],
      });
      const dump = bad.dump('jsonl');
      const orphanKey = CUSTOMER_KEY;
      writeFileSync(dump, `${readFileSync(dump, 'utf8')}{"model": "authtoken.token", "pk": "${orphanKey}", "fields": {"user": 999, "created": "2024-01-01T00:00:00Z"}}\n`);
      const out = path.join(bad.dir, 'events.tsv');
      const run = await runCli({ ...process.env }, ...importArgs(dump, '--out', out));
      expect(run.status).toBe(1);
      const refused = run.stderr.trimEnd().split('\n');
      expect(refused).toHaveLength(4);
      for (const line of [
        /^refused accounts\.user pk=2: user\.registered: data\.username: must be 1 to 150 characters$/,
        /^refused accounts\.user pk=3: user\.registered: data\.gender: /,
        /^refused authtoken\.token pk=sha256:[0-9a-f]{12}…: its user 2 was refused$/,
        /^refused authtoken\.token pk=sha256:[0-9a-f]{12}…: its user 999 is not in the dump$/,
      ]) expect(refused.filter((r) => line.test(r))).toHaveLength(1);
      const events = readFileSync(out, 'utf8');
      const sent = events.split('\n').filter(Boolean).map((l) => [l.split('\t')[0], (JSON.parse(l.split('\t')[1] as string) as { type: string }).type]);
      expect(sent).toEqual([['user:1', 'user.registered'], ['user:1', 'user.token_issued']]);
      for (const key of [ADMIN_KEY, STAFF_KEY, orphanKey]) expect(events + run.stdout + run.stderr).not.toContain(key);
    } finally {
      bad.remove();
    }
  });
});
