// A write costs what it changed (issue 25): a kept authentication outlives batches that change nobody's right
// to list, or only someone else's, and is dropped for exactly the callers a batch names. Which lookups the API
// made is read from the database client's own query events; the expected counts (none) and statuses are
// api.md's rules, by hand.
import request from 'supertest';
import { ProjectedApp, projectedDirectory } from '../helpers/projectedApp';
import { event, eventually, publish, sha256 } from '../helpers/events';
import { DIRECTORY_EVENTS, TOKENS } from '../helpers/fixtures/directory';

let t: ProjectedApp;
let published = DIRECTORY_EVENTS;
/** Token lookups the API made, by the digest they looked for. */
const lookups = new Map<string, number>();

beforeAll(async () => {
  t = await projectedDirectory();
  t.db.on('query', (q: { sql: string; bindings?: unknown[] }) => {
    if (!/token_sha256 = (\?|\$1)/.test(q.sql)) return;
    const digest = String(q.bindings?.[0]);
    lookups.set(digest, (lookups.get(digest) ?? 0) + 1);
  });
  await eventually(async () => (t.changes.isLive ? true : undefined), 10_000, 'the change feed to be live');
}, 60_000);
afterAll(() => t?.closeAll());

const get = (token: string) => request(t.app.callback()).get('/api/customers').set('Authorization', `Token ${token}`);
const lookupsOf = (token: string) => lookups.get(sha256(token)) ?? 0;

async function commit(...events: ReturnType<typeof event>[]): Promise<void> {
  await publish(t.kafka, t.config.topics.events, events);
  published += events.length;
  await t.waitForOffsets(published);
  await new Promise((r) => setTimeout(r, 200)); // the notice's delivery
}

it('keeps a caller authenticated through registrations, profile updates, logins and others\' tokens', async () => {
  expect((await get(TOKENS.admin)).status).toBe(200);
  const before = lookupsOf(TOKENS.admin);
  expect(before).toBeGreaterThan(0); // the lookups are seen at all
  await commit(
    event('user:5001', 'user.registered', 1, { username: 'newcomer' }),
    event('user:5001', 'user.token_issued', 2, { token_sha256: sha256('newcomer-key') }),
    event('user:1001', 'user.profile_updated', 20, { first_name: 'Renamed' }),
    event('user:1001', 'user.logged_in', 21, {}),
    event('user:1004', 'user.email_verified', 20, {}),
  );
  for (let i = 0; i < 3; i++) expect((await get(TOKENS.admin)).status).toBe(200);
  expect(lookupsOf(TOKENS.admin)).toBe(before);
  // The newcomer's token, issued in that batch, authenticates (a customer: 403, not 401).
  expect((await get('newcomer-key')).status).toBe(403);
});

it('drops exactly the callers a batch names', async () => {
  expect((await get(TOKENS.admin)).status).toBe(200);
  expect((await get(TOKENS.staffPlain)).status).toBe(200);
  const [admin, staff] = [lookupsOf(TOKENS.admin), lookupsOf(TOKENS.staffPlain)];
  await commit(event('user:1003', 'user.deactivated', 3, {}));
  expect((await get(TOKENS.staffPlain)).body).toEqual({ detail: 'User inactive or deleted.' });
  expect((await get(TOKENS.admin)).status).toBe(200);
  expect(lookupsOf(TOKENS.staffPlain)).toBe(staff + 1);
  expect(lookupsOf(TOKENS.admin)).toBe(admin);
});

it('drops the members of a group whose permissions change, and no one else', async () => {
  expect((await request(t.app.callback()).get('/api/users/').set('Authorization', `Token ${TOKENS.staffWith1222ViaGroup}`)).status).toBe(200);
  expect((await get(TOKENS.admin)).status).toBe(200);
  const admin = lookupsOf(TOKENS.admin);
  await commit(event('group:80', 'group.permission_revoked', 3, { code: 1222 }));
  expect((await request(t.app.callback()).get('/api/users/').set('Authorization', `Token ${TOKENS.staffWith1222ViaGroup}`)).status).toBe(403);
  expect((await get(TOKENS.admin)).status).toBe(200);
  expect(lookupsOf(TOKENS.admin)).toBe(admin);
});

it('reads the serving generation once while the feed stays live, not once a second', async () => {
  expect((await get(TOKENS.admin)).status).toBe(200);
  let reads = 0;
  const count = (q: { sql: string }) => {
    if (q.sql.includes('from rollcall_generations')) reads++;
  };
  t.db.on('query', count);
  try {
    const started = Date.now();
    while (Date.now() - started < 2_500) expect((await get(TOKENS.admin)).status).toBe(200);
  } finally {
    t.db.removeListener('query', count);
  }
  expect(reads).toBe(0);
});
