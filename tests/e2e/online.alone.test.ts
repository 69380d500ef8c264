// is_online (events.md, api.md): token.used through Kafka into Redis, the online window, and the API's own
// callers; activity never goes back in time. Alone (jest.config.js): a window of 3 s and an expiry seen within
// 250 ms are times that another test file's CPU beside it could stretch.
import request from 'supertest';
import { createProjectedApp, ProjectedApp } from '../helpers/projectedApp';
import { event, eventually, publish, sha256 } from '../helpers/events';
import { startActivity } from '../../services/activity/consumer';
import { Running } from '../../services/projector/consumer';

let t: ProjectedApp;
let activity: Running;
const WINDOW = 3;

beforeAll(async () => {
  t = await createProjectedApp({ ONLINE_WINDOW_SECONDS: String(WINDOW) });
  await t.startProjector();
  activity = await startActivity({ kafka: t.kafka, online: t.online, config: t.config, logger: t.logger });
  const users = [1, 2, 3, 4].map((id) => event(`user:${id}`, 'user.registered', 1, { username: `u${id}`, is_staff: id === 1 }));
  await publish(t.kafka, t.config.topics.events, [...users, event('user:1', 'user.token_issued', 2, { token_sha256: sha256('staff') })]);
  await t.waitForOffsets(5);
});
afterAll(async () => {
  await activity?.stop();
  await t?.closeAll();
});

const used = (id: number, at: Date) => event(`user:${id}`, 'token.used', undefined, {}, at.toISOString());
const onlineIds = async () => {
  const res = await request(t.app.callback()).get('/api/customers?is_online=true').set('Authorization', 'Token staff');
  return JSON.parse(res.text).results.map((u: { id: number }) => u.id).sort();
};

it('makes users online from token.used on the activity topic, and offline once the window has passed', async () => {
  await publish(t.kafka, t.config.topics.activity, [used(2, new Date()), used(3, new Date())]);
  expect(await eventually(async () => ((await onlineIds()).length === 2 ? onlineIds() : undefined))).toEqual([2, 3]);
  await eventually(async () => ((await onlineIds()).length === 0 ? true : undefined), (WINDOW + 3) * 1000, 'the window to pass');
});

it('ignores a token.used older than the one stored', async () => {
  const now = new Date();
  await publish(t.kafka, t.config.topics.activity, [used(4, now), used(4, new Date(now.getTime() - 60_000))]);
  await eventually(async () => ((await onlineIds()).includes(4) ? true : undefined));
  await new Promise((r) => setTimeout(r, 1_000)); // both are applied by now; the older must not have won
  expect(await onlineIds()).toEqual([4]);
});

it('combines is_online with other filters, with exact counts', async () => {
  await publish(t.kafka, t.config.topics.activity, [used(2, new Date()), used(3, new Date()), used(4, new Date())]);
  await eventually(async () => ((await onlineIds()).length === 3 ? true : undefined));
  const res = await request(t.app.callback()).get('/api/customers?is_online=false&id_min=1').set('Authorization', 'Token staff');
  expect(JSON.parse(res.text)).toMatchObject({ count: 0, results: [] });
  const on = await request(t.app.callback()).get('/api/customers?is_online=true&id_max=3&ordering=-id').set('Authorization', 'Token staff');
  expect(JSON.parse(on.text).results.map((u: { id: number; is_online: boolean }) => [u.id, u.is_online])).toEqual([[3, true], [2, true]]);
});

// The answer is kept between these requests (nothing is written: the caller is online already), so this is the
// kept answer's own expiry (OnlineSnapshot.keptUntil) at work. The moment is worked out from the window by hand.
it('shows a user offline from the moment its window passes, never before and at most a moment after', async () => {
  await publish(t.kafka, t.config.topics.events, [event('user:5', 'user.registered', 1, { username: 'u5' })]);
  await t.waitForOffsets(6);
  await onlineIds(); // the caller is online from here on: its next requests write nothing new to the set
  const at = Date.now() - WINDOW * 1000 + 1_500;
  await publish(t.kafka, t.config.topics.activity, [used(5, new Date(at))]);
  await eventually(async () => ((await onlineIds()).includes(5) ? true : undefined));
  const offlineFrom = at + WINDOW * 1000;
  let lastSeenOnline = 0;
  for (;;) {
    const asked = Date.now();
    const online = (await onlineIds()).includes(5);
    if (!online) {
      expect(Date.now()).toBeGreaterThanOrEqual(offlineFrom); // answered after the moment, not before
      expect(asked - Math.max(offlineFrom, lastSeenOnline)).toBeLessThan(250);
      return;
    }
    expect(asked).toBeLessThan(offlineFrom + 250); // asked this long after the moment, still online: kept too long
    lastSeenOnline = asked;
    await new Promise((r) => setTimeout(r, 10));
  }
});

it('makes the API caller online', async () => {
  await request(t.app.callback()).get('/api/customers').set('Authorization', 'Token staff');
  await eventually(async () => ((await t.online.online(['1'])).has('1') ? true : undefined));
});
