// events.md: a message that is not JSON, breaks a rule, or names a user never registered goes unchanged to
// the DLQ topic with the reason and its origin in headers, and the projection goes on.
import { createProjectedApp, ProjectedApp } from '../helpers/projectedApp';
import { event, publish, RawEvent, sha256 } from '../helpers/events';
import { readDeadLetters } from '../helpers/dlq';
import { activeGeneration } from '../../projections/generations';
import { loadUsers } from '../../projections/users/store';

let t: ProjectedApp;
beforeAll(async () => {
  t = await createProjectedApp();
  await t.startProjector();
});
afterAll(() => t?.closeAll());

const poison: Array<[string, RawEvent, RegExp]> = [
  ['not JSON', { subject: 'user:501', value: '{"specversion": "1.0", oops' }, /not valid JSON/],
  ['a wrong specversion', event('user:502', 'user.registered', 1, { username: 'x' }), /./],
  ['a missing username', event('user:503', 'user.registered', 1, { email: 'a@b.c' }), /data\.username/],
  ['a username over 150 chars', event('user:504', 'user.registered', 1, { username: 'u'.repeat(151) }), /data\.username/],
  ['a bad token digest', event('user:505', 'user.token_issued', 2, { token_sha256: 'ABC' }), /token_sha256/],
  ['a permission code that is not an integer', event('user:506', 'user.permission_granted', 2, { code: '1222' }), /data\.code/],
  ['roles_changed with no role', event('user:507', 'user.roles_changed', 2, {}), /is_staff and\/or is_admin/],
  ['a user never registered', event('user:508', 'user.roles_changed', 1, { is_admin: true }), /never registered/],
  ['a bad subject', event('account:9', 'user.registered', 1, { username: 'x' }), /subject/],
  ['a missing aggregateversion', event('user:509', 'user.registered', undefined, { username: 'x' }), /aggregateversion/],
  ['a time without offset', event('user:510', 'user.registered', 1, { username: 'x' }, '2026-02-21T07:20:25'), /time/],
];
poison[1]![1] = { subject: 'user:502', value: poison[1]![1].value.replace('"specversion":"1.0"', '"specversion":"0.3"') };
poison[1]![2] = /specversion/;

it('dead-letters each poison message with its reason and origin, and applies the good ones around them', async () => {
  const good = [
    event('user:600', 'user.registered', 1, { username: 'before' }),
    ...poison.map(([, e]) => e),
    event('user:601', 'user.registered', 1, { username: 'after', is_staff: true }),
    event('user:601', 'user.token_issued', 2, { token_sha256: sha256('k') }),
  ];
  const withHeader = { ...good[3]!, headers: { 'x-upstream': 'kept' } };
  good[3] = withHeader;
  await publish(t.kafka, t.config.topics.events, good);
  await t.waitForOffsets(good.length);

  const letters = await readDeadLetters(t.kafka, t.config.topics.dlq, poison.length);
  expect(letters).toHaveLength(poison.length);
  for (const [what, sent, reason] of poison) {
    const letter = letters.find((l) => l.value === sent.value);
    expect({ what, found: letter !== undefined }).toEqual({ what, found: true });
    expect(letter!.key).toBe(sent.subject);
    expect(letter!.headers['x-rollcall-error']).toMatch(reason);
    expect(letter!.headers['x-rollcall-source-topic']).toBe(t.config.topics.events);
    expect(letter!.headers['x-rollcall-source-partition']).toMatch(/^\d+$/);
    expect(letter!.headers['x-rollcall-source-offset']).toMatch(/^\d+$/);
  }
  expect(letters.find((l) => l.value === withHeader.value)!.headers['x-upstream']).toBe('kept');

  const gen = await activeGeneration(t.db);
  const users = await loadUsers(t.db, gen.schema, ['600', '601', '508', '503']);
  expect([...users.keys()].sort()).toEqual(['600', '601']);
  expect(users.get('601')).toMatchObject({ is_staff: true, token_sha256: sha256('k'), version: '2' });
});
