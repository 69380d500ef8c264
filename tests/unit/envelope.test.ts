// events.md, "Envelope": what decodeEvent accepts, what it rejects and why.
import { decodeEvent } from '../../shared/events/envelope';

const base = {
  specversion: '1.0', id: 'e1', source: '/accounts', type: 'user.registered', subject: 'user:42',
  time: '2026-02-21T07:20:25.859632Z', aggregateversion: 1, data: { username: 'moratti120' },
};
const decode = (over: Record<string, unknown>, stream: 'events' | 'activity' = 'events') =>
  decodeEvent(Buffer.from(JSON.stringify({ ...base, ...over })), stream);
const reason = (d: ReturnType<typeof decodeEvent>) => (d.kind === 'invalid' ? d.reason : `decoded as ${d.kind}`);

describe('decodeEvent', () => {
  it('decodes user.registered with its defaults', () => {
    const d = decode({});
    expect(d).toMatchObject({
      kind: 'user',
      meta: { subject: 'user:42', subjectId: '42', version: 1n, time: '2026-02-21T07:20:25.859632+00:00' },
      body: { type: 'user.registered', data: { username: 'moratti120', is_active: true, is_staff: false, is_admin: false, is_email_verified: false } },
    });
  });

  it('keeps ids above 2^53 exact, from subject and data', () => {
    const text = JSON.stringify({ ...base, subject: 'user:9223372036854775807' }).replace('"data":{', '"data":{"invited_by":9007199254740993,');
    const d = decodeEvent(Buffer.from(text), 'events');
    expect(d.kind === 'user' && d.meta.subjectId).toBe('9223372036854775807');
    expect(d.kind === 'user' && d.body.type === 'user.registered' && d.body.data.invited_by).toBe('9007199254740993');
  });

  it('ignores unknown data keys', () => {
    expect(decode({ data: { username: 'a', shoe_size: 44 } }).kind).toBe('user');
  });

  it('reports an unknown type as such, not as invalid', () => {
    expect(decode({ type: 'user.became_famous' }).kind).toBe('unknown-type');
  });

  it.each([
    ['id at 2^63', { subject: 'user:9223372036854775808' }, /below 2\^63/],
    ['id 0', { subject: 'user:0' }, /must be an integer >= 1/],
    ['a version too large to be exact', { aggregateversion: 1e300 }, /aggregateversion: must be an integer/],
    ['negative version', { aggregateversion: 0 }, /aggregateversion/],
    ['fractional version', { aggregateversion: 1.5 }, /aggregateversion/],
    ['empty id', { id: '' }, /^id/],
    ['empty source', { source: '' }, /^source/],
    ['data not an object', { data: [] }, /^data/],
    ['a group type on a user subject', { type: 'group.created' }, /does not belong/],
    ['a 13th month', { time: '2026-13-01T00:00:00Z' }, /time/],
    ['the 30th of February', { time: '2026-02-30T00:00:00Z' }, /time/],
    ['a NUL in a string', { data: { username: 'a\u0000b' } }, /NUL/],
    ['a bad gender', { data: { username: 'a', gender: 'robot' } }, /gender/],
    ['a string is_staff', { data: { username: 'a', is_staff: 'true' } }, /is_staff/],
  ])('rejects %s', (_, over, why) => {
    expect(reason(decode(over))).toMatch(why);
  });

  it('rejects bytes that are not UTF-8', () => {
    expect(reason(decodeEvent(Buffer.from([0x7b, 0xff, 0x7d]), 'events'))).toMatch(/UTF-8/);
  });

  it('requires aggregateversion on the events topic only', () => {
    const { aggregateversion: _, ...noVersion } = base;
    expect(reason(decodeEvent(Buffer.from(JSON.stringify(noVersion)), 'events'))).toMatch(/aggregateversion/);
    expect(decodeEvent(Buffer.from(JSON.stringify({ ...noVersion, type: 'token.used', data: {} })), 'activity').kind).toBe('activity');
  });

  it('truncates digits past the microsecond and keeps the offset', () => {
    const d = decode({ time: '2026-02-21T09:20:25.123456789+02:00' });
    expect(d.kind === 'user' && d.meta.time).toBe('2026-02-21T09:20:25.123456+02:00');
  });
});
