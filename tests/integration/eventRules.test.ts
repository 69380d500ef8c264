// events.md rule by rule: given these events through real Kafka, then the read-model row is this
// (written by hand, in PostgreSQL's UTC text form).
import { createProjectedApp, ProjectedApp } from '../helpers/projectedApp';
import { event, publish, RawEvent } from '../helpers/events';
import { activeGeneration } from '../../projections/generations';
import { table } from '../../projections/readModel';
import { readDeadLetters } from '../helpers/dlq';

const T = (n: number) => `2026-01-01T00:00:${String(n).padStart(2, '0')}Z`;
const PG = (n: number) => `2026-01-01 00:00:${String(n).padStart(2, '0')}+00`;
const reg = (id: number, data: Record<string, unknown> = {}) => event(`user:${id}`, 'user.registered', 1, { username: `u${id}`, ...data }, T(1));
const ev = (id: number, type: string, v: number, data: Record<string, unknown> = {}, at = v) => event(`user:${id}`, type, v, data, T(at));
const gev = (id: number, type: string, v: number, data: Record<string, unknown> = {}) => event(`group:${id}`, type, v, data, T(v));
const hex = (c: string) => c.repeat(64);

type Case = { name: string; given: RawEvent[]; table: 'users' | 'groups'; id: number; then: Record<string, unknown> | 'absent' };

const cases: Case[] = [
  { name: 'user.registered with only a username takes the defaults', table: 'users', id: 1, given: [reg(1)],
    then: { username: 'u1', email: null, mobile_number: null, first_name: null, last_name: null, gender: null, avatar: null,
      invited_by: null, invite_code: null, is_active: true, is_staff: false, is_admin: false, is_email_verified: false,
      last_login: null, created_at: PG(1), updated_at: PG(1), token_sha256: null, version: '1', full_name: null,
      is_profile_completed: false, is_customer: true } },
  { name: 'user.registered with every field, and the derived fields', table: 'users', id: 2, given: [reg(2, {
      email: 'a@b.co', mobile_number: '+1555', first_name: 'Ada', last_name: 'Lovelace', gender: 'female',
      avatar: 'https://x.io/a.png', invited_by: 1, invite_code: 'INV', is_active: false, is_staff: true, is_admin: true, is_email_verified: true })],
    then: { email: 'a@b.co', mobile_number: '+1555', first_name: 'Ada', last_name: 'Lovelace', gender: 'female', avatar: 'https://x.io/a.png',
      invited_by: '1', invite_code: 'INV', is_active: false, is_staff: true, is_admin: true, is_email_verified: true,
      full_name: 'Ada Lovelace', is_profile_completed: true, is_customer: false } },
  { name: 'user.profile_updated sets given keys, clears null ones, leaves absent ones, moves updated_at', table: 'users', id: 3,
    given: [reg(3, { first_name: 'Ken', last_name: 'Thompson', gender: 'male' }), ev(3, 'user.profile_updated', 2, { first_name: 'Kenneth', gender: null, username: 'kt' })],
    then: { username: 'kt', first_name: 'Kenneth', last_name: 'Thompson', gender: null, updated_at: PG(2), created_at: PG(1), full_name: 'Kenneth Thompson' } },
  { name: 'a changed email unverifies it', table: 'users', id: 4,
    given: [reg(4, { email: 'old@x.io', is_email_verified: true }), ev(4, 'user.profile_updated', 2, { email: 'new@x.io' })],
    then: { email: 'new@x.io', is_email_verified: false } },
  { name: 'the same email given again keeps it verified', table: 'users', id: 5,
    given: [reg(5, { email: 'same@x.io', is_email_verified: true }), ev(5, 'user.profile_updated', 2, { email: 'same@x.io' })],
    then: { email: 'same@x.io', is_email_verified: true, updated_at: PG(2) } },
  { name: 'user.email_verified', table: 'users', id: 6, given: [reg(6), ev(6, 'user.email_verified', 2)], then: { is_email_verified: true, updated_at: PG(2) } },
  { name: 'user.deactivated then user.activated', table: 'users', id: 7,
    given: [reg(7), ev(7, 'user.deactivated', 2), ev(7, 'user.activated', 3)], then: { is_active: true, updated_at: PG(3) } },
  { name: 'user.deactivated', table: 'users', id: 8, given: [reg(8), ev(8, 'user.deactivated', 2)], then: { is_active: false } },
  { name: 'user.roles_changed sets the roles given only', table: 'users', id: 9,
    given: [reg(9, { is_staff: true }), ev(9, 'user.roles_changed', 2, { is_admin: true })],
    then: { is_staff: true, is_admin: true, is_customer: false, updated_at: PG(2) } },
  { name: 'user.logged_in sets last_login and leaves updated_at', table: 'users', id: 10,
    given: [reg(10), ev(10, 'user.logged_in', 2, {}, 30)], then: { last_login: PG(30), updated_at: PG(1) } },
  { name: 'a second user.token_issued replaces the token, leaving updated_at', table: 'users', id: 11,
    given: [reg(11), ev(11, 'user.token_issued', 2, { token_sha256: hex('a') }), ev(11, 'user.token_issued', 3, { token_sha256: hex('b') })],
    then: { token_sha256: hex('b'), updated_at: PG(1) } },
  { name: 'user.token_revoked', table: 'users', id: 12,
    given: [reg(12), ev(12, 'user.token_issued', 2, { token_sha256: hex('c') }), ev(12, 'user.token_revoked', 3)], then: { token_sha256: null } },
  { name: 'user.joined_group and user.left_group, leaving updated_at', table: 'users', id: 13,
    given: [reg(13), ev(13, 'user.joined_group', 2, { group_id: 500 }), ev(13, 'user.joined_group', 3, { group_id: 501 }), ev(13, 'user.left_group', 4, { group_id: 500 })],
    then: { group_ids: ['501'], updated_at: PG(1) } },
  { name: 'user.permission_granted and user.permission_revoked', table: 'users', id: 14,
    given: [reg(14), ev(14, 'user.permission_granted', 2, { code: 1222 }), ev(14, 'user.permission_granted', 3, { code: 7 }), ev(14, 'user.permission_revoked', 4, { code: 1222 })],
    then: { permissions: [7] } },
  { name: 'user.invite_code_assigned, then null', table: 'users', id: 15,
    given: [reg(15), ev(15, 'user.invite_code_assigned', 2, { invite_code: 'ABC' }), ev(15, 'user.invite_code_assigned', 3, { invite_code: null })],
    then: { invite_code: null, updated_at: PG(3) } },
  { name: 'user.deleted marks the row and drops its token', table: 'users', id: 16,
    given: [reg(16), ev(16, 'user.token_issued', 2, { token_sha256: hex('d') }), ev(16, 'user.deleted', 3)], then: { deleted: true, token_sha256: null } },
  { name: 'a duplicate version is skipped: the first delivery wins', table: 'users', id: 17,
    given: [reg(17), ev(17, 'user.roles_changed', 2, { is_staff: true }), ev(17, 'user.roles_changed', 2, { is_staff: false })],
    then: { is_staff: true, version: '2' } },
  { name: 'a gap is applied', table: 'users', id: 18, given: [reg(18), ev(18, 'user.roles_changed', 4, { is_admin: true })], then: { is_admin: true, version: '4' } },
  { name: 'an unknown type is skipped and the next event applies', table: 'users', id: 19,
    given: [reg(19), ev(19, 'user.nickname_set', 2, { nickname: 'z' }), ev(19, 'user.roles_changed', 3, { is_staff: true })],
    then: { is_staff: true, version: '3' } },
  { name: 'a dead-lettered event does not advance the version', table: 'users', id: 20,
    given: [reg(20), ev(20, 'user.roles_changed', 2, {}), ev(20, 'user.roles_changed', 2, { is_staff: true })],
    then: { is_staff: true, version: '2' } },
  { name: 'microseconds and offsets are kept exactly', table: 'users', id: 21,
    given: [event('user:21', 'user.registered', 1, { username: 'u21' }, '2026-02-21T09:20:25.000001+02:00')],
    then: { created_at: '2026-02-21 07:20:25.000001+00', updated_at: '2026-02-21 07:20:25.000001+00' } },
  { name: 'events of a user never registered are not applied', table: 'users', id: 22,
    given: [ev(22, 'user.roles_changed', 1, { is_admin: true })], then: 'absent' },
  { name: 'a second user.registered is not applied', table: 'users', id: 23,
    given: [reg(23), ev(23, 'user.registered', 2, { username: 'again' })], then: { username: 'u23', version: '1' } },
  { name: 'group.created then group.renamed', table: 'groups', id: 600, given: [gev(600, 'group.created', 1, { name: 'A' }), gev(600, 'group.renamed', 2, { name: 'B' })],
    then: { name: 'B', deleted: false, version: '2' } },
  { name: 'group permissions granted and revoked', table: 'groups', id: 601,
    given: [gev(601, 'group.created', 1, { name: 'P' }), gev(601, 'group.permission_granted', 2, { code: 1222 }), gev(601, 'group.permission_granted', 3, { code: 9 }), gev(601, 'group.permission_revoked', 4, { code: 1222 })],
    then: { permissions: [9] } },
  { name: 'group.deleted', table: 'groups', id: 602, given: [gev(602, 'group.created', 1, { name: 'D' }), gev(602, 'group.deleted', 2)], then: { deleted: true } },
  { name: 'a group never created gets nothing applied', table: 'groups', id: 603, given: [gev(603, 'group.renamed', 1, { name: 'ghost' })], then: 'absent' },
];

let t: ProjectedApp;
beforeAll(async () => {
  t = await createProjectedApp();
  await t.startProjector();
  const all = cases.flatMap((c) => c.given);
  await publish(t.kafka, t.config.topics.events, all);
  await t.waitForOffsets(all.length);
});
afterAll(() => t?.closeAll());

it.each(cases.map((c) => [c.name, c] as const))('%s', async (_, c) => {
  const gen = await activeGeneration(t.db);
  const { rows } = await t.db.raw(`select * from ${table(gen.schema, c.table)} where id = ?`, [c.id]);
  if (c.then === 'absent') expect(rows).toEqual([]);
  else expect(rows[0]).toMatchObject(c.then);
});

// events.md: the key is the subject, which is what keeps a subject's events in one partition and in order.
// An event under another key could be folded by two partitions' transactions at once (issue 16, hole 5): it
// breaks the contract and is dead-lettered with the reason, and the subject is left as it was.
it('dead-letters an event whose key does not name its subject, and leaves the subject as it was', async () => {
  const registered = reg(90, { first_name: 'Before' });
  await publish(t.kafka, t.config.topics.events, [registered]);
  await t.waitForOffsets(cases.flatMap((c) => c.given).length + 1);
  const misKeyed = [
    { ...ev(90, 'user.profile_updated', 2, { first_name: 'After' }), subject: 'user:91' },
    { ...ev(90, 'user.email_verified', 3), subject: 'user:91' },
    { ...reg(92, { first_name: 'Unkeyed' }), subject: 'group:7' },
  ];
  // A key with leading zeros names the same subject: applied.
  const sameSubject = { ...ev(90, 'user.logged_in', 2), subject: 'user:090' };
  await publish(t.kafka, t.config.topics.events, [...misKeyed, sameSubject]);
  await t.waitForOffsets(cases.flatMap((c) => c.given).length + 1 + misKeyed.length + 1);
  const gen = await activeGeneration(t.db);
  const { rows } = await t.db.raw(`select id, first_name, is_email_verified, version from ${table(gen.schema, 'users')} where id in (90, 92) order by id`);
  expect(rows).toEqual([{ id: '90', first_name: 'Before', is_email_verified: false, version: '2' }]);

  const admin = t.kafka.admin();
  await admin.connect();
  const inDlq = (await admin.fetchTopicOffsets(t.config.topics.dlq)).reduce((n, p) => n + Number(p.high), 0);
  await admin.disconnect();
  const letters = await readDeadLetters(t.kafka, t.config.topics.dlq, inDlq);
  const reasons = misKeyed.map((m) => letters.find((l) => l.value === m.value)?.headers['x-rollcall-error']);
  expect(reasons).toEqual([
    'key user:91 does not name the subject user:90 (events.md: the key is the subject)',
    'key user:91 does not name the subject user:90 (events.md: the key is the subject)',
    'key group:7 does not name the subject user:92 (events.md: the key is the subject)',
  ]);
});
