// Decodes one Kafka message value into a typed event, or says exactly why it breaks ../shared/contract/events.md.
import { isUtf8 } from 'node:buffer';
import { z } from 'zod';
import { parseJsonExact } from '../json';
import { normaliseEventTime } from './time';
import {
  id,
  integer,
  MAX_ID,
  userEventData,
  groupEventData,
  activityEventData,
  emptyData,
  UserEventBody,
  GroupEventBody,
  ActivityEventBody,
} from './types';

export type EventMeta = Readonly<{
  eventId: string;
  type: string;
  /** "user:42" */
  subject: string;
  subjectId: string;
  /** RFC 3339, microseconds kept, ready for timestamptz. */
  time: string;
  /** aggregateversion; null on the activity topic. */
  version: bigint | null;
}>;

export type DecodedEvent =
  | { kind: 'user'; meta: EventMeta; body: UserEventBody }
  | { kind: 'group'; meta: EventMeta; body: GroupEventBody }
  | { kind: 'activity'; meta: EventMeta; body: ActivityEventBody }
  | { kind: 'unknown-type'; meta: EventMeta }
  /** meta is given when the envelope was readable and only the data broke the contract. */
  | { kind: 'invalid'; reason: string; meta?: EventMeta };

const nonEmpty = z.string().min(1);
export const envelopeSchema = z.object({
  specversion: z.literal('1.0'),
  id: nonEmpty,
  source: nonEmpty,
  type: nonEmpty,
  subject: z.string().regex(/^(user|group):\d+$/, 'must be user:<id> or group:<id>'),
  time: z.string().transform((t, ctx) => {
    const normal = normaliseEventTime(t);
    if (normal === null) ctx.addIssue({ code: 'custom', message: 'must be an RFC 3339 timestamp with an offset' });
    return normal ?? z.NEVER;
  }),
  aggregateversion: integer(1n, MAX_ID, 'must be below 2^63').optional(),
  data: z.record(z.string(), z.unknown()),
});

export type Stream = 'events' | 'activity';

/** Decodes a message of the events topic ('events') or the activity topic ('activity'). Never throws. */
export function decodeEvent(value: Buffer | null, stream: Stream): DecodedEvent {
  if (value === null) return invalid('message has no value');
  if (!isUtf8(value)) return invalid('message value is not valid UTF-8');
  const text = value.toString('utf8');
  let json: unknown;
  try {
    json = parseJsonExact(text);
  } catch (err) {
    return invalid(`not valid JSON: ${(err as Error).message}`);
  }
  const e = commonEnvelope(json) ?? envelopeSchema.safeParse(json);
  if (!e.success) return invalid(describe(e.error));
  return decodeData(e.data, stream);
}

type Envelope = z.output<typeof envelopeSchema>;

/**
 * The envelope of an ordinary event, read without zod: every field of the usual type, a version below
 * 2^53, a subject id of at most 15 digits. Anything else (including every invalid envelope) returns
 * undefined and goes through the zod schema above, which is the definition and words the reasons.
 * This shortcut accepts nothing the schema refuses and gives what it gives (tests/unit/envelope.test.ts);
 * it exists because the schema's transforms cost a third of the projector's decoding (docs/benchmarks.md).
 */
export function commonEnvelope(json: unknown): { success: true; data: Envelope } | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const e = json as Record<string, unknown>;
  const { id: eventId, source, type, subject, time, aggregateversion: version, data } = e;
  if (e.specversion !== '1.0' || !nonEmptyString(eventId) || !nonEmptyString(source) || !nonEmptyString(type)) return undefined;
  if (typeof subject !== 'string' || !COMMON_SUBJECT.test(subject) || typeof time !== 'string') return undefined;
  if (version !== undefined && !(typeof version === 'number' && Number.isSafeInteger(version) && version >= 1)) return undefined;
  if (typeof data !== 'object' || data === null || Array.isArray(data) || Object.getPrototypeOf(data) !== Object.prototype) return undefined;
  const normal = normaliseEventTime(time);
  if (normal === null) return undefined;
  return {
    success: true,
    data: {
      specversion: '1.0', id: eventId, source, type, subject, time: normal, data: data as Record<string, unknown>,
      ...(version === undefined ? {} : { aggregateversion: BigInt(version) }),
    },
  };
}

const COMMON_SUBJECT = /^(?:user|group):[1-9]\d{0,14}$/;
const nonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

function decodeData(e: Envelope, stream: Stream): DecodedEvent {
  const colon = e.subject.indexOf(':');
  const kind = e.subject.slice(0, colon) as 'user' | 'group';
  const digits = e.subject.slice(colon + 1);
  const canonical = COMMON_SUBJECT.test(e.subject);
  const subjectId = canonical ? { success: true as const, data: digits } : id.safeParse(BigInt(digits));
  if (!subjectId.success) return invalid(`subject: id ${describe(subjectId.error)}`);
  if (stream === 'events' && e.aggregateversion === undefined) return invalid('aggregateversion: required on the events topic');
  const meta: EventMeta = {
    eventId: e.id,
    type: e.type,
    subject: canonical ? e.subject : `${kind}:${subjectId.data}`,
    subjectId: subjectId.data,
    time: e.time,
    version: stream === 'events' ? (e.aggregateversion as bigint) : null,
  };
  const table: Record<string, z.ZodType> =
    stream === 'activity' ? activityEventData : kind === 'user' ? userEventData : groupEventData;
  const schema = Object.hasOwn(table, e.type) ? table[e.type] : undefined;
  if (schema === undefined) {
    const known = Object.hasOwn(userEventData, e.type) || Object.hasOwn(groupEventData, e.type) || Object.hasOwn(activityEventData, e.type);
    return known ? invalid(`type ${e.type} does not belong to subject ${kind}: on this topic`) : { kind: 'unknown-type', meta };
  }
  if (stream === 'activity' && kind !== 'user') return invalid('activity events must have a user: subject');
  // Most events carry no data: their schema only drops unknown keys, which needs no parse.
  const data = schema === emptyData ? { success: true as const, data: {} } : schema.safeParse(e.data);
  if (!data.success) return { kind: 'invalid', reason: `data.${describe(data.error)}`, meta };
  const body = { type: e.type, data: data.data };
  if (stream === 'activity') return { kind: 'activity', meta, body: body as ActivityEventBody };
  return kind === 'user'
    ? { kind: 'user', meta, body: body as UserEventBody }
    : { kind: 'group', meta, body: body as GroupEventBody };
}

function invalid(reason: string): DecodedEvent {
  return { kind: 'invalid', reason };
}

function describe(error: z.ZodError): string {
  return error.issues
    .map((i) => `${i.path.map(String).join('.') || '(value)'}: ${i.message}`)
    .join('; ');
}
