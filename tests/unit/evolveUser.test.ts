// The users projection as a pure fold: given events, then the row. Delivering the same events twice
// changes nothing (emmett's rule).
import { evolveUser, UserEvent } from '../../projections/users/evolve';
import { UserRow } from '../../projections/users/userRow';
import { decodeEvent } from '../../shared/events/envelope';

let n = 0;
function ev(type: string, version: number, data: Record<string, unknown>, time = '2026-02-21T07:20:25Z'): UserEvent {
  const d = decodeEvent(Buffer.from(JSON.stringify({
    specversion: '1.0', id: `e${++n}`, source: '/t', type, subject: 'user:7', time, aggregateversion: version, data,
  })), 'events');
  if (d.kind !== 'user') throw new Error(`fixture is not a user event: ${JSON.stringify(d)}`);
  return d;
}

function fold(events: UserEvent[]): UserRow | undefined {
  let state: UserRow | undefined;
  for (const e of events) {
    const o = evolveUser(state, e);
    if (o.result === 'applied') state = o.state;
  }
  return state;
}

const registered = ev('user.registered', 1, { username: 'kim', email: 'k@x.io', is_email_verified: true }, '2026-01-01T00:00:00.000001Z');

it('registers a user with created_at = updated_at = time', () => {
  expect(fold([registered])).toMatchObject({
    id: '7', version: '1', username: 'kim', email: 'k@x.io', is_email_verified: true, is_staff: false,
    created_at: '2026-01-01T00:00:00.000001+00:00', updated_at: '2026-01-01T00:00:00.000001+00:00',
  });
});

it('changes roles given, keeps the others, and moves updated_at', () => {
  const u = fold([registered, ev('user.roles_changed', 2, { is_admin: true }, '2026-01-02T00:00:00Z')]);
  expect(u).toMatchObject({ is_admin: true, is_staff: false, updated_at: '2026-01-02T00:00:00+00:00', version: '2' });
});

it('replaces the token on token_issued without moving updated_at', () => {
  const u = fold([registered, ev('user.token_issued', 2, { token_sha256: 'a'.repeat(64) }), ev('user.token_issued', 3, { token_sha256: 'b'.repeat(64) }, '2026-03-01T00:00:00Z')]);
  expect(u).toMatchObject({ token_sha256: 'b'.repeat(64), updated_at: '2026-01-01T00:00:00.000001+00:00' });
});

it('grants a permission once however often it is granted', () => {
  const u = fold([registered, ev('user.permission_granted', 2, { code: 1222 }), ev('user.permission_granted', 3, { code: 1222 })]);
  expect(u?.permissions).toEqual([1222]);
});

it('skips a duplicate version and applies a gap', () => {
  const u = fold([registered, ev('user.roles_changed', 2, { is_staff: true })]) as UserRow;
  expect(evolveUser(u, ev('user.roles_changed', 2, { is_staff: false }))).toEqual({ result: 'duplicate' });
  const gap = evolveUser(u, ev('user.roles_changed', 5, { is_staff: false }));
  expect(gap).toMatchObject({ result: 'applied', gap: true, state: { is_staff: false, version: '5' } });
});

it('rejects an event of a user never registered, and a second registration', () => {
  expect(evolveUser(undefined, ev('user.roles_changed', 1, { is_admin: true }))).toMatchObject({ result: 'rejected', reason: expect.stringMatching(/never registered/) });
  expect(evolveUser(fold([registered]), ev('user.registered', 2, { username: 'again' }))).toMatchObject({ result: 'rejected' });
});

it('ends in the same row when every event is delivered twice', () => {
  const history = [registered, ev('user.roles_changed', 2, { is_staff: true }), ev('user.permission_granted', 3, { code: 9 }), ev('user.token_issued', 4, { token_sha256: 'c'.repeat(64) })];
  expect(fold(history.flatMap((e) => [e, e]))).toEqual(fold(history));
});
