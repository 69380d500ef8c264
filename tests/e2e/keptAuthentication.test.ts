// Authentications kept while the change feed is live (services/api/auth.ts, issue 18): each change that
// decides who may list is committed while the caller's authentication is kept, and the next answers follow it.
// Expected statuses and messages are api.md's, by hand.
import request from 'supertest';
import { ProjectedApp, projectedDirectory } from '../helpers/projectedApp';
import { event, eventually, publish } from '../helpers/events';
import { DIRECTORY_EVENTS, TOKENS } from '../helpers/fixtures/directory';

let t: ProjectedApp;
let published = DIRECTORY_EVENTS;

beforeAll(async () => {
  t = await projectedDirectory();
  await eventually(async () => (t.changes.isLive ? true : undefined), 10_000, 'the change feed to listen');
}, 60_000);
afterAll(() => t?.closeAll());

const get = (path: string, token: string) => request(t.app.callback()).get(path).set('Authorization', `Token ${token}`);

/** Asks until the answer is `status` (the authentication kept before gives way within a notice's delivery). */
async function becomes(path: string, token: string, status: number): Promise<request.Response> {
  return eventually(async () => {
    const res = await get(path, token);
    return res.status === status ? res : undefined;
  }, 10_000, `${path} to answer ${status}`);
}

async function commit(...events: ReturnType<typeof event>[]): Promise<void> {
  await publish(t.kafka, t.config.topics.events, events);
  published += events.length;
  await t.waitForOffsets(published);
}

it('refuses a caller whose own permission 1222 is revoked', async () => {
  expect((await get('/api/users/', TOKENS.staffWith1222)).status).toBe(200);
  expect((await get('/api/users/', TOKENS.staffWith1222)).status).toBe(200); // kept now
  await commit(event('user:1002', 'user.permission_revoked', 4, { code: 1222 }));
  expect((await becomes('/api/users/', TOKENS.staffWith1222, 403)).body).toEqual({ detail: 'You do not have permission to perform this action.' });
});

it('refuses a caller whose group loses permission 1222', async () => {
  expect((await get('/api/users/', TOKENS.staffWith1222ViaGroup)).status).toBe(200);
  await commit(event('group:80', 'group.permission_revoked', 3, { code: 1222 }));
  await becomes('/api/users/', TOKENS.staffWith1222ViaGroup, 403);
});

it('refuses a caller deactivated, and a caller whose roles are taken away', async () => {
  expect((await get('/api/customers', TOKENS.staffPlain)).status).toBe(200);
  await commit(event('user:1003', 'user.deactivated', 3, {}));
  expect((await becomes('/api/customers', TOKENS.staffPlain, 401)).body).toEqual({ detail: 'User inactive or deleted.' });
  expect((await get('/api/customers', TOKENS.admin)).status).toBe(200);
  await commit(event('user:1001', 'user.roles_changed', 6, { is_admin: false }));
  await becomes('/api/customers', TOKENS.admin, 403);
});
