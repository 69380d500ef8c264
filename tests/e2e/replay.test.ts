// ops.md, "rollcall replay": a new generation is built beside the serving one and switched to atomically; the
// API never errors and never goes back in time because of it; interrupted, it leaves the serving generation
// untouched; two at once are refused.
import { spawn } from 'node:child_process';
import path from 'node:path';
import request from 'supertest';
import { createProjectedApp, ProjectedApp } from '../helpers/projectedApp';
import { event, eventually, publish } from '../helpers/events';
import { generateHistory } from '../helpers/historyGenerator';
import { ReferenceFold } from '../helpers/referenceFold';
import { listAll } from '../helpers/listAll';
import { activeGeneration } from '../../projections/generations';

const CLI = path.join(__dirname, '../../bin/rollcall.js');
const history = generateHistory({ seed: 31, users: 400, groups: 20 });
const fold = new ReferenceFold();
let folded = 0;
const remember = (values: string[], poison = false) => values.forEach((v) => (poison ? folded++ : fold.apply(folded++, JSON.parse(v))));

let t: ProjectedApp;
let published = 0;
beforeAll(async () => {
  t = await createProjectedApp({ KAFKA_SESSION_TIMEOUT_MS: '2000' });
  await t.startProjector();
  history.messages.forEach((m) => remember([m.value], m.poison));
  await publish(t.kafka, t.config.topics.events, history.messages);
  published = history.messages.length;
  await t.waitForOffsets(published);
}, 60_000);
afterAll(() => t?.closeAll());

const run = (args: string[]) => {
  const child = spawn(process.execPath, [CLI, ...args], { env: t.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const done = new Promise<{ code: number | null; out: string }>((resolve) => child.on('exit', (code) => resolve({ code, out })));
  return { child, done };
};
const schemas = async () => (await t.db.raw(`select nspname from pg_namespace where nspname like 'gen_%' order by 1`)).rows.map((r: { nspname: string }) => r.nspname);

it('replays under traffic: no error, nothing goes back in time, and the result equals the reference fold', async () => {
  const before = await activeGeneration(t.db);
  let stop = false;
  const problems: string[] = [];
  const last: Record<string, number> = {};
  const client = (async () => {
    while (!stop) {
      for (const p of ['/api/customers', '/api/users/']) {
        const res = await request(t.app.callback()).get(`${p}?limit=3`).set('Authorization', `Token ${history.adminToken}`);
        if (res.status !== 200) problems.push(`${p}: ${res.status} ${res.text}`);
        else {
          const count = JSON.parse(res.text).count as number;
          if (count < (last[p] ?? 0)) problems.push(`${p}: count went back from ${last[p]} to ${count}`);
          last[p] = count;
        }
      }
    }
  })();
  let n = 0;
  const feeder = (async () => {
    while (!stop) {
      const e = event(`user:${800_000 + n++}`, 'user.registered', 1, { username: `late${n}` }, new Date().toISOString());
      remember([e.value]);
      await publish(t.kafka, t.config.topics.events, [e]);
      published++;
      await new Promise((r) => setTimeout(r, 30));
    }
  })();

  const { code, out } = await run(['replay']).done;
  stop = true;
  await Promise.all([client, feeder]);
  expect({ code, out: code === 0 ? '' : out }).toEqual({ code: 0, out: '' });
  expect(out).toMatch(new RegExp(`replayed; serving read-model generation ${before.id + 1} \\(gen_${before.id + 1}\\)`));
  expect(problems).toEqual([]);
  expect(n).toBeGreaterThan(5);

  await eventually(async () => {
    const gen = await activeGeneration(t.db);
    const { rows } = await t.db.raw(`select coalesce(sum(next_offset), 0)::int as n from "${gen.schema}".checkpoints`);
    return rows[0].n >= published ? true : undefined;
  }, 30_000, 'the projector to carry on into the new generation');
  expect(await listAll(t.app, '/api/users/', history.adminToken)).toEqual(fold.expectedObjects('staff'));
  expect(await listAll(t.app, '/api/customers', history.adminToken)).toEqual(fold.expectedObjects('customers'));
  expect(await schemas()).toEqual([`gen_${before.id + 1}`]);
}, 120_000);

it('leaves the serving generation untouched when killed mid-way, and finishes when run again', async () => {
  // Enough log that the replay is still building when it is killed.
  const more = Array.from({ length: 30_000 }, (_, i) => event(`user:${900_000 + i}`, 'user.registered', 1, { username: `bulk${i}` }, '2026-01-01T00:00:00Z'));
  remember(more.map((e) => e.value));
  await publish(t.kafka, t.config.topics.events, more);
  published += more.length;
  await eventually(async () => {
    const gen = await activeGeneration(t.db);
    const { rows } = await t.db.raw(`select coalesce(sum(next_offset), 0)::int as n from "${gen.schema}".checkpoints`);
    return rows[0].n >= published ? true : undefined;
  }, 60_000, 'the bulk to be projected');
  const serving = await activeGeneration(t.db);
  const countBefore = JSON.parse((await request(t.app.callback()).get('/api/customers').set('Authorization', `Token ${history.adminToken}`)).text).count;
  const first = run(['replay']);
  await eventually(async () => {
    const { rows } = await t.db.raw(`select schema_name from rollcall_generations where state = 'building'`);
    if (rows.length === 0) return undefined;
    const { rows: done } = await t.db.raw(`select coalesce(sum(next_offset), 0)::int as n from "${rows[0].schema_name}".checkpoints`);
    return done[0].n > 0 ? true : undefined; // it has applied part of the log
  }, 30_000, 'the replay to be part-way');
  first.child.kill('SIGKILL');
  await first.done;
  // The half-built generation is what /metrics reports as a replay's progress until one runs again.
  const metrics = (await request(t.app.callback()).get('/metrics')).text;
  expect(metrics).toMatch(new RegExp(`^rollcall_replay_applied_events\\{generation="${serving.id + 1}"\\} [1-9]`, 'm'));

  expect(await activeGeneration(t.db)).toEqual(serving);
  const res = await request(t.app.callback()).get('/api/customers').set('Authorization', `Token ${history.adminToken}`);
  expect(res.status).toBe(200);
  expect(JSON.parse(res.text).count).toBe(countBefore);

  const again = await run(['replay', '--keep-old']).done;
  expect(again.code).toBe(0);
  const now = await activeGeneration(t.db);
  expect(now.id).toBe(serving.id + 1); // the killed one's leftover was dropped and its id taken again
  expect(await schemas()).toEqual([serving.schema, now.schema].sort());
  expect(await listAll(t.app, '/api/customers', history.adminToken)).toEqual(fold.expectedObjects('customers'));
}, 120_000);

it('replays a read model built from another log (offsets beyond the end), as status advises', async () => {
  const serving = await activeGeneration(t.db);
  await t.db.raw(`update "${serving.schema}".checkpoints set next_offset = next_offset + 1000000`);
  const { code, out } = await run(['replay']).done;
  expect({ code, out: code === 0 ? '' : out }).toEqual({ code: 0, out: '' });
  expect((await activeGeneration(t.db)).id).toBe(serving.id + 1);
  expect(await listAll(t.app, '/api/customers', history.adminToken)).toEqual(fold.expectedObjects('customers'));
}, 120_000);

it('refuses a second replay while one runs', async () => {
  const first = run(['replay']);
  await eventually(async () => ((await t.db.raw(`select 1 from rollcall_generations where state = 'building'`)).rows.length > 0 ? true : undefined));
  const second = await run(['replay']).done;
  expect(second.code).toBe(2);
  expect(second.out).toMatch(/another replay is running/);
  expect((await first.done).code).toBe(0);
}, 120_000);
