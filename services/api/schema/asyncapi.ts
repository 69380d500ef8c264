// The AsyncAPI 3.0 document of the three topics (events.md), generated from the event table the projector
// validates with (shared/events/types.ts), as the OpenAPI document is from the filter table. Served at
// GET /api/asyncapi; `npm run docs:asyncapi` writes docs/asyncapi.yaml, which a test holds current and valid.
import { z } from 'zod';
import { activityEventData, groupEventData, userEventData } from '../../../shared/events/types';

type Json = Record<string, unknown>;

/** events.md's default topic names (config.ts EVENTS_TOPIC, ACTIVITY_TOPIC, DLQ_TOPIC). */
export const DEFAULT_TOPICS = { events: 'user-events', activity: 'user-activity', dlq: 'user-events.dlq' } as const;

/** The data's JSON Schema: zod's reading, with what zod cannot say (types.ts asJsonSchema) written in. */
function dataSchema(schema: z.ZodType): Json {
  const json = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    override: (ctx) => {
      const written = (z.globalRegistry.get(ctx.zodSchema) as { jsonSchema?: Json } | undefined)?.jsonSchema;
      const out = ctx.jsonSchema as Json;
      if (written !== undefined) {
        for (const k of Object.keys(out)) delete out[k];
        Object.assign(out, written);
      }
      delete out.jsonSchema;
    },
  }) as Json;
  delete json.$schema;
  return json;
}

const ENVELOPE: Json = {
  type: 'object',
  required: ['specversion', 'id', 'source', 'type', 'subject', 'time', 'data'],
  properties: {
    specversion: { const: '1.0' },
    id: { type: 'string', minLength: 1, description: 'unique per event (a UUID in practice)' },
    source: { type: 'string', minLength: 1, description: 'URI reference of the publisher' },
    time: { type: 'string', format: 'date-time', description: 'RFC 3339 with an offset; microseconds kept. When the fact happened' },
    datacontenttype: { const: 'application/json' },
  },
};

function message(type: string, data: z.ZodType, kind: 'user' | 'group', versioned: boolean): Json {
  const subject = { type: 'string', pattern: `^${kind}:[1-9][0-9]*$`, description: `${kind}:<id>, <id> a positive integer below 2^63` };
  return {
    name: type,
    title: type,
    contentType: 'application/json',
    payload: {
      allOf: [ENVELOPE, {
        type: 'object',
        required: versioned ? ['aggregateversion'] : [],
        properties: {
          type: { const: type },
          subject,
          ...(versioned ? { aggregateversion: { type: 'integer', minimum: 1, description: '1 for the subject\'s first event, then +1' } } : {}),
          data: dataSchema(data),
        },
      }],
    },
    bindings: { kafka: { key: subject, bindingVersion: '0.5.0' } },
  };
}

const refs = (names: readonly string[]) => Object.fromEntries(names.map((n) => [n.replace('.', '_'), { $ref: `#/components/messages/${n.replace('.', '_')}` }]));

export function asyncApiDocument(topics: { events: string; activity: string; dlq: string }): Json {
  const messages: Record<string, Json> = {};
  for (const [type, data] of Object.entries(userEventData)) messages[type.replace('.', '_')] = message(type, data, 'user', true);
  for (const [type, data] of Object.entries(groupEventData)) messages[type.replace('.', '_')] = message(type, data, 'group', true);
  for (const [type, data] of Object.entries(activityEventData)) messages[type.replace('.', '_')] = message(type, data, 'user', false);
  const eventTypes = [...Object.keys(userEventData), ...Object.keys(groupEventData)];
  const activityTypes = Object.keys(activityEventData);
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'rollcall events',
      version: '1.0.0',
      description: 'What upstream services publish to rollcall (../shared/contract/events.md). CloudEvents 1.0 in structured JSON mode; the Kafka key is the subject. An event of another type is skipped; one that breaks these schemas is copied to the dead-letter topic.',
    },
    defaultContentType: 'application/json',
    channels: {
      userEvents: { address: topics.events, description: 'User and group lifecycle, kept forever: the source of truth the read model is rebuilt from.', messages: refs(eventTypes) },
      userActivity: { address: topics.activity, description: 'Token usage (is_online only), kept one day.', messages: refs(activityTypes) },
      deadLetters: {
        address: topics.dlq,
        description: 'Messages rollcall could not apply, copied unchanged, with headers x-rollcall-error (why), x-rollcall-source-topic, x-rollcall-source-partition and x-rollcall-source-offset.',
        messages: { deadLetter: { $ref: '#/components/messages/deadLetter' } },
      },
    },
    operations: {
      receiveUserEvents: { action: 'receive', channel: { $ref: '#/channels/userEvents' }, messages: Object.keys(refs(eventTypes)).map((n) => ({ $ref: `#/channels/userEvents/messages/${n}` })) },
      receiveActivity: { action: 'receive', channel: { $ref: '#/channels/userActivity' }, messages: Object.keys(refs(activityTypes)).map((n) => ({ $ref: `#/channels/userActivity/messages/${n}` })) },
      sendDeadLetters: { action: 'send', channel: { $ref: '#/channels/deadLetters' }, messages: [{ $ref: '#/channels/deadLetters/messages/deadLetter' }] },
    },
    components: {
      messages: {
        ...messages,
        deadLetter: {
          name: 'deadLetter',
          title: 'A message rollcall could not apply',
          headers: { type: 'object', required: ['x-rollcall-error'], properties: Object.fromEntries(['x-rollcall-error', 'x-rollcall-source-topic', 'x-rollcall-source-partition', 'x-rollcall-source-offset'].map((h) => [h, { type: 'string' }])) },
          payload: { description: 'the original message value, unchanged (it may not be JSON)' },
        },
      },
    },
  };
}
