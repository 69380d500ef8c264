// events.md: what a deletion does to other users and to the deleted user's token, and memberships read
// before or after the group they name.
import request from 'supertest';
import { createProjectedApp, ProjectedApp } from '../helpers/projectedApp';
import { event, publish, sha256 } from '../helpers/events';

let t: ProjectedApp;
let sent = 0;
const send = async (events: ReturnType<typeof event>[]) => {
  await publish(t.kafka, t.config.topics.events, events);
  sent += events.length;
  await t.waitForOffsets(sent);
};
const get = (path: string, key: string) => request(t.app.callback()).get(path).set('Authorization', `Token ${key}`);
const byId = async (id: number) => JSON.parse((await get('/api/users/?limit=100', 'boss')).text).results.find((u: { id: number }) => u.id === id);

beforeAll(async () => {
  t = await createProjectedApp();
  await t.startProjector();
  await send([
    event('user:1', 'user.registered', 1, { username: 'boss', is_admin: true }),
    event('user:1', 'user.token_issued', 2, { token_sha256: sha256('boss') }),
    event('user:2', 'user.registered', 1, { username: 'inviter', is_staff: true, first_name: 'Ina' }),
    event('user:2', 'user.token_issued', 2, { token_sha256: sha256('inviter') }),
    event('user:3', 'user.registered', 1, { username: 'invitee', is_staff: true, invited_by: 2 }),
    event('user:4', 'user.registered', 1, { username: 'second', is_staff: true, invited_by: 2 }),
    // A membership read before its group exists.
    event('user:3', 'user.joined_group', 2, { group_id: 70 }),
  ]);
});
afterAll(() => t?.closeAll());

it('counts invitees and shows the inviter', async () => {
  expect((await byId(2)).invitees_count).toBe(2);
  expect((await byId(3)).invited_by).toEqual({ id: 2, username: 'inviter', full_name: 'Ina' });
});

it('keeps a membership in a group not created yet, and shows it once the group is created', async () => {
  expect((await byId(3)).groups_data).toEqual([]);
  await send([event('group:70', 'group.created', 1, { name: 'Late' })]);
  expect((await byId(3)).groups_data).toEqual([{ id: 70, name: 'Late' }]);
});

it('drops a deleted group from every member, and ignores a later join to it', async () => {
  await send([event('group:70', 'group.deleted', 2, {}), event('user:4', 'user.joined_group', 2, { group_id: 70 })]);
  expect((await byId(3)).groups_data).toEqual([]);
  expect((await byId(4)).groups_data).toEqual([]);
});

it('drops a deleted invitee from its inviter count', async () => {
  await send([event('user:4', 'user.deleted', 3, {})]);
  expect(await byId(4)).toBeUndefined();
  expect((await byId(2)).invitees_count).toBe(1);
});

it('removes a deleted user everywhere: its token stops working, its invitees show invited_by null', async () => {
  expect((await get('/api/customers', 'inviter')).status).toBe(200);
  await send([event('user:2', 'user.deleted', 3, {})]);
  const res = await get('/api/customers', 'inviter');
  expect(res.status).toBe(401);
  expect(res.text).toBe('{"detail":"Invalid token."}');
  expect(await byId(2)).toBeUndefined();
  expect((await byId(3)).invited_by).toBeNull();
});
