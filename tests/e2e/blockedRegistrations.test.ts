// A dead-lettered registration is loud (issue 15): `rollcall status`, /metrics and `rollcall dlq list` show the
// users blocked behind one and the later events it cost, grouped under the one cause; fixed, the count clears.
// Expected figures are counted by hand from the events published here.
import request from 'supertest';
import { createProjectedApp, ProjectedApp } from '../helpers/projectedApp';
import { event, eventually, publish } from '../helpers/events';
import { runCli, succeeded } from '../helpers/cli';

let t: ProjectedApp;
beforeAll(async () => {
  t = await createProjectedApp();
  await t.startProjector();
});
afterAll(() => t?.closeAll());

/** The command's stdout; a failure shows its exit code and stderr. */
const cli = async (...args: string[]) => succeeded(await runCli(t.env, ...args));
const metric = async (name: string) => {
  const text = (await request(t.app.callback()).get('/metrics')).text;
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
};

const badRegistration = event('user:1', 'user.registered', 1, { username: 'ada', gender: '' });
const later = [
  event('user:1', 'user.profile_updated', 2, { first_name: 'Ada' }),
  event('user:1', 'user.logged_in', 3, {}),
  event('user:1', 'user.email_verified', 4, {}),
];
const otherBad = event('user:2', 'user.registered', 1, { username: 'bob', email: 7 });
const otherLater = event('user:2', 'user.deactivated', 2, {});
// A user whose registration never arrived at all: its events are dead letters, but nothing blocks them.
const ghost = event('user:3', 'user.logged_in', 2, {});
// A bad registration followed by a good one: the user exists, nothing is blocked.
const recovered = [event('user:4', 'user.registered', 1, { username: 'eve', avatar: 5 }), event('user:4', 'user.registered', 1, { username: 'eve' }), event('user:4', 'user.logged_in', 2, {})];

it('counts the users blocked behind a dead-lettered registration and groups their dead letters under it', async () => {
  const all = [badRegistration, ...later, otherBad, otherLater, ghost, ...recovered];
  await publish(t.kafka, t.config.topics.events, all);
  await t.waitForOffsets(all.length);

  const status = JSON.parse(await cli('status', '--json'));
  expect(status.blocked).toEqual({ users: 2, events: 4 });
  expect(await cli('status')).toMatch(/users blocked behind a dead-lettered registration: 2 \(4 later events dead-lettered/);
  expect(await metric('rollcall_blocked_users')).toBe(2);
  expect(await metric('rollcall_blocked_events')).toBe(4);

  const letters = JSON.parse(await cli('dlq', 'list', '--json')) as Array<{ value: string; blockedBy: string | null; blocks: number; origin: { offset: string } }>;
  const find = (v: string) => letters.find((l) => l.value === v)!;
  expect(letters).toHaveLength(8); // 2 bad registrations, 4 events behind them, the ghost's, the recovered user's bad one
  const cause = find(badRegistration.value);
  expect(cause).toMatchObject({ blocks: 3, blockedBy: null });
  for (const e of later) expect(find(e.value).blockedBy).toBe(`${t.config.topics.events}/${(cause as any).origin.partition}/${cause.origin.offset}`);
  expect(find(otherBad.value).blocks).toBe(1);
  expect(find(ghost.value)).toMatchObject({ blockedBy: null, blocks: 0 });
  expect(find(recovered[0]!.value)).toMatchObject({ blockedBy: null, blocks: 0 });

  const text = await cli('dlq', 'list');
  expect(text).toMatch(/^8 dead letters; 4 of them blocked behind 2 dead-lettered registrations, listed under them\n/);
  expect(text).toMatch(/blocks 3 later events of user:1, dead-lettered as never registered/);
  expect(text.split('\n').filter((l) => /^\S/.test(l))).toHaveLength(1 + 4); // the summary and the four letters that are not symptoms, no symptom on a line of its own
});

it('clears once the user is registered at last, and the redriven events then apply', async () => {
  await publish(t.kafka, t.config.topics.events, [event('user:1', 'user.registered', 1, { username: 'ada', gender: null })]);
  await eventually(async () => ((await metric('rollcall_blocked_users')) === 1 ? true : undefined));
  expect(JSON.parse(await cli('status', '--json')).blocked).toEqual({ users: 1, events: 1 });
  await cli('dlq', 'redrive');
  await eventually(async () => {
    const res = await t.db.raw(`select first_name, version from gen_1.users where id = 1`);
    return res.rows[0]?.version === '4' ? res.rows[0] : undefined;
  });
});
