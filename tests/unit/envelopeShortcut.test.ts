// The envelope shortcut (shared/events/envelope.ts commonEnvelope) must accept nothing the zod schema refuses
// and give exactly what the schema gives: the schema is the definition, the shortcut only a faster path.
import { commonEnvelope, envelopeSchema } from '../../shared/events/envelope';
import { parseJsonExact } from '../../shared/json';
import { generateHistory } from '../helpers/historyGenerator';

const base = {
  specversion: '1.0', id: 'e1', source: '/accounts', type: 'user.registered', subject: 'user:42',
  time: '2026-02-21T07:20:25.859632Z', aggregateversion: 1, data: { username: 'moratti120' },
};

/** Envelopes near the edges of every field, valid and not. */
const EDGES: Record<string, unknown>[] = [
  {}, { specversion: '1.1' }, { specversion: 1 }, { id: '' }, { id: 7 }, { source: '' }, { source: null }, { type: '' },
  { subject: 'user:0' }, { subject: 'user:007' }, { subject: 'user:999999999999999' }, { subject: 'user:9999999999999999' },
  { subject: 'user:9223372036854775808' }, { subject: 'group:5' }, { subject: 'team:5' }, { subject: 'user:-1' }, { subject: 'user:5 ' },
  { time: '2026-02-21T07:20:25Z' }, { time: '2026-02-21t07:20:25.1234567+02:00' }, { time: '2026-02-30T07:20:25Z' },
  { time: '2024-02-29T00:00:00Z' }, { time: '2023-02-29T00:00:00Z' }, { time: '1900-02-29T00:00:00Z' }, { time: '2000-02-29T00:00:00Z' },
  { time: '2026-02-21T24:00:00Z' }, { time: '2026-02-21T07:20:25' }, { time: '2026-02-21T07:20:25+24:00' }, { time: 5 },
  { aggregateversion: undefined }, { aggregateversion: 0 }, { aggregateversion: -3 }, { aggregateversion: 1.5 }, { aggregateversion: '1' },
  { aggregateversion: 9007199254740991 }, { data: [] }, { data: null }, { data: 'x' }, { data: {} }, { data: { a: { b: [1] } } },
  { extra: 'ignored', datacontenttype: 'application/json' },
];

function agree(json: unknown): void {
  const fast = commonEnvelope(json);
  const slow = envelopeSchema.safeParse(json);
  if (fast !== undefined) expect({ json, result: slow.success && slow.data }).toEqual({ json, result: fast.data });
}

it('agrees with the schema on every edge of every envelope field', () => {
  for (const over of EDGES) agree({ ...base, ...over });
  agree(null);
  agree([base]);
  agree('user.registered');
});

it('agrees with the schema on a generated history, poison messages included', () => {
  const { messages } = generateHistory({ seed: 7, users: 300, groups: 10 });
  let taken = 0;
  for (const m of messages) {
    let json: unknown;
    try {
      json = parseJsonExact(m.value);
    } catch {
      continue; // not JSON: never reaches the envelope
    }
    agree(json);
    if (commonEnvelope(json) !== undefined) taken++;
  }
  expect(taken).toBeGreaterThan(messages.length * 0.8);
});

it('declines versions and subject ids past 2^53, which the schema reads as bigint', () => {
  expect(commonEnvelope({ ...base, aggregateversion: 9007199254740993n })).toBeUndefined();
  expect(commonEnvelope({ ...base, subject: 'user:9223372036854775807' })).toBeUndefined();
});
