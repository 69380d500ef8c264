// events.md, "Profile values arrive as the writer's Django models hold them": every value a Django writer
// publishes is taken as given; only a wrong JSON type, a gender outside the three or null, and text
// PostgreSQL cannot store are refused. The cases are read off the contract's paragraph, one per rule.
import { decodeEvent } from '../../shared/events/envelope';

const OPTIONAL_TEXT = ['email', 'mobile_number', 'first_name', 'last_name', 'avatar', 'invite_code'] as const;
const PROFILE_TEXT = OPTIONAL_TEXT.filter((k) => k !== 'invite_code');

const envelope = (type: string, data: Record<string, unknown>, subject = 'user:42') => ({
  specversion: '1.0', id: 'e1', source: '/accounts', type, subject, time: '2026-02-21T07:20:25.859632Z', aggregateversion: 1, data,
});
const decode = (type: string, data: Record<string, unknown>, subject?: string) =>
  decodeEvent(Buffer.from(JSON.stringify(envelope(type, data, subject))), 'events');
const registered = (extra: Record<string, unknown>) => decode('user.registered', { username: 'ada', ...extra });
const updated = (data: Record<string, unknown>) => decode('user.profile_updated', data);
/** The data as decoded, or the reason it was refused. */
const dataOf = (d: ReturnType<typeof decodeEvent>) => (d.kind === 'user' || d.kind === 'group' ? d.body.data : `refused: ${d.kind === 'invalid' ? d.reason : d.kind}`);

describe('values events.md accepts', () => {
  it.each([...OPTIONAL_TEXT, 'gender'])('null %s in user.registered is no value', (key) => {
    expect(dataOf(registered({ [key]: null }))).toMatchObject({ username: 'ada', [key]: null });
  });

  it.each([...PROFILE_TEXT, 'gender'])('null %s in user.profile_updated clears it', (key) => {
    expect(dataOf(updated({ [key]: null }))).toEqual({ [key]: null });
  });

  it.each(OPTIONAL_TEXT)('"" %s in user.registered is kept as ""', (key) => {
    expect(dataOf(registered({ [key]: '' }))).toMatchObject({ [key]: '' });
  });

  it.each(PROFILE_TEXT)('"" %s in user.profile_updated is kept as ""', (key) => {
    expect(dataOf(updated({ [key]: '' }))).toEqual({ [key]: '' });
  });

  it('invite_code null and "" in user.invite_code_assigned', () => {
    expect(dataOf(decode('user.invite_code_assigned', { invite_code: null }))).toEqual({ invite_code: null });
    expect(dataOf(decode('user.invite_code_assigned', { invite_code: '' }))).toEqual({ invite_code: '' });
  });

  it.each([
    ['a storage path', 'avatars/2025/06/42.jpg'],
    ['a path from the site root', '/media/avatars/42.webp'],
    ['another scheme', 's3://bucket/avatars/42'],
    ['a 300-character URL', `https://cdn.example.com/${'a'.repeat(300 - 'https://cdn.example.com/'.length)}`],
    ['text with spaces', 'my avatar.png'],
  ])('an avatar that is %s, as given', (_, avatar) => {
    expect(avatar.length).toBeGreaterThan(0);
    expect(dataOf(registered({ avatar }))).toMatchObject({ avatar });
    expect(dataOf(updated({ avatar }))).toEqual({ avatar });
  });

  it('no length limit of its own: a 1,000-character email, names and invite code', () => {
    const long = { email: `${'x'.repeat(990)}@ex.com`, first_name: 'F'.repeat(1000), last_name: 'L'.repeat(1000), mobile_number: '5'.repeat(100), invite_code: 'I'.repeat(500) };
    expect(dataOf(registered(long))).toMatchObject(long);
  });

  it('a username of 150 characters outside the BMP (300 UTF-16 units), as Django counts them', () => {
    const username = '𝒜'.repeat(150);
    expect(username.length).toBe(300);
    expect(dataOf(registered({ username }))).toMatchObject({ username });
    expect(dataOf(decode('group.created', { name: username }, 'group:7'))).toEqual({ name: username });
  });

  it('emails as written: capitals, +tags, the same address on two users', () => {
    expect(dataOf(registered({ email: 'Ada.Lovelace+News@Example.COM' }))).toMatchObject({ email: 'Ada.Lovelace+News@Example.COM' });
  });

  it('invited_by null: no inviter (a nullable ForeignKey)', () => {
    expect(dataOf(registered({ invited_by: null }))).toMatchObject({ invited_by: null });
  });
});

describe('values events.md refuses', () => {
  it.each([
    ['a number for email', registered({ email: 42 }), /email/],
    ['an object for first_name', registered({ first_name: { a: 1 } }), /first_name/],
    ['a string for is_staff', registered({ is_staff: 'true' }), /is_staff/],
    ['null for is_active', registered({ is_active: null }), /is_active/],
    ['a number for avatar in an update', updated({ avatar: 1 }), /avatar/],
    ['a gender outside the three', registered({ gender: 'robot' }), /gender/],
    ['a blank gender (not one of the three, not null)', registered({ gender: '' }), /gender/],
    ['a gender in capitals', updated({ gender: 'Male' }), /gender/],
    ['NUL in a name', registered({ last_name: 'a\u0000b' }), /NUL/],
    ['a lone surrogate in an email', registered({ email: 'a\ud800b@example.com' }), /well-formed/],
    ['a lone surrogate in an avatar', updated({ avatar: 'x\udc00' }), /well-formed/],
    ['an empty username', registered({ username: '' }), /username/],
    ['a username of 151 characters', registered({ username: 'u'.repeat(151) }), /username/],
    ['a null username in an update (the username is required)', updated({ username: null }), /username/],
  ])('refuses %s', (_, decoded, why) => {
    expect(decoded.kind).toBe('invalid');
    expect(decoded.kind === 'invalid' && decoded.reason).toMatch(why);
  });
});
