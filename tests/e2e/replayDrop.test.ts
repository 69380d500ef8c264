// Issue 16, hole 4: a request that read the serving generation's name just before a replay switched, and runs
// into the old generation's drop, is answered from the new one: never "relation does not exist" as a 500.
// The moment is made exact here: the app's cache holds the old generation while it is dropped.
import request from 'supertest';
import { projectedDirectory, ProjectedApp } from '../helpers/projectedApp';
import { TOKENS } from '../helpers/fixtures/directory';
import { runCli, succeeded } from '../helpers/cli';
import { createApp } from '../../services/api/app';
import { createBuildingGeneration, dropGeneration } from '../../projections/generations';
import { createTestEnv } from '../helpers/testEnv';
import { capturingLogger } from '../helpers/logLines';
import { event, eventually, publish } from '../helpers/events';
import { projectedCount } from '../helpers/projectedApp';
import { startProjector } from '../../services/projector/consumer';

let t: ProjectedApp;
beforeAll(async () => {
  t = await projectedDirectory();
}, 60_000);
afterAll(() => t?.closeAll());

const appOf = () => createApp({ db: t.db, redis: t.redis, online: t.online, metrics: t.metrics, logger: t.logger, maxPageSize: 1000, trustProxy: false, inMemorySearch: true });
const setActive = (active: number, retired: number) =>
  t.db.transaction(async (trx) => {
    await trx.raw(`update rollcall_generations set state = 'retired' where id = ?`, [retired]);
    await trx.raw(`update rollcall_generations set state = 'active' where id = ?`, [active]);
  });

it('answers from the new generation a request that meets the old one dropped', async () => {
  expect(succeeded(await runCli(t.env, 'replay', '--keep-old'))).toMatch(/serving read-model generation 2/);
  // The admin's requests mark it online (listHandler.ts): the page expected is one that shows it so, as will the
  // one compared with it. (The test ran the command synchronously before, which stopped the online set's follower
  // in this process too: every page showed the admin offline.)
  const adminOnline = (text: string) => (JSON.parse(text) as { results: Array<{ id: number; is_online: boolean }> }).results.find((u) => u.id === 1001)?.is_online;
  const expected = await eventually(async () => {
    const res = await request(appOf().callback()).get('/api/users/?ordering=id').set('Authorization', `Token ${TOKENS.admin}`);
    return res.status === 200 && adminOnline(res.text) === true ? res : undefined;
  }, 10_000, 'the admin seen online');

  await setActive(1, 2);
  const app = appOf();
  const get = () => request(app.callback()).get('/api/users/?ordering=id').set('Authorization', `Token ${TOKENS.admin}`);
  expect((await get()).status).toBe(200); // the app now holds generation 1 as the serving one
  await setActive(2, 1);
  await dropGeneration(t.db, { id: 1, schema: 'gen_1', readModelVersion: 1 });

  const res = await get();
  expect({ status: res.status, body: JSON.parse(res.text) }).toEqual({ status: 200, body: JSON.parse(expected.text) });
});

// A projector batch that waited on the switch's lock writes into the new generation; that wait is no error.
it('writes a batch that waited on the switch into the new generation, logging no error', async () => {
  const env = await createTestEnv();
  const { logger, lines } = capturingLogger();
  const projector = await startProjector({ kafka: env.kafka, db: env.db, config: env.config, logger });
  try {
    await publish(env.kafka, env.config.topics.events, [event('user:1', 'user.registered', 1, { username: 'before' })]);
    await eventually(async () => ((await projectedCount(env.db, env.config.topics.events)) === 1n ? true : undefined), 30_000, 'the first event');
    const next = await createBuildingGeneration(env.db);
    await env.db.transaction(async (trx) => {
      await trx.raw(`select id from rollcall_generations where state = 'active' for update`); // as switchGeneration does
      await publish(env.kafka, env.config.topics.events, [event('user:2', 'user.registered', 1, { username: 'during' })]);
      await new Promise((r) => setTimeout(r, 1_500)); // the batch now waits on this lock
      await trx.raw(`update rollcall_generations set state = 'retired' where state = 'active'`);
      await trx.raw(`update rollcall_generations set state = 'active' where id = ?`, [next.id]);
    });
    await eventually(async () => ((await env.db.raw(`select username from ${next.schema}.users`)).rows.length === 1 ? true : undefined), 30_000, 'the batch in the new generation');
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
  } finally {
    await projector.stop();
    await env.close();
  }
}, 60_000);
