// An imported fact as the contract's CloudEvent (events.md), its id derived from what it records, so that a
// second run of the same dump publishes the very same events (the projector skips them as duplicates).
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { normaliseEventTime } from '../../shared/events/time';
import { emptyData, groupEventData, userEventData } from '../../shared/events/types';
import { stringifyDrf } from '../../shared/json';

export type ImportEvent = { subject: string; version: number; type: string; time: string; data: Record<string, unknown> };
export type EncodedEvent = { key: string; value: string; subject: string; version: number };

export const IMPORT_SOURCE = '/rollcall/import';

/**
 * Encodes the events of one subject, each data checked by the contract's own schemas (shared/events/types.ts), as
 * the projector checks it; the first reason it would refuse, if any. The envelope is built here from a time
 * dumpTime checked, so only the data needs it.
 */
export function encodeSubject(events: ImportEvent[]): { encoded: EncodedEvent[] } | { refused: string } {
  const encoded: EncodedEvent[] = [];
  for (const e of events) {
    const schema = SCHEMAS.get(e.type) as z.ZodType;
    const checked = schema === emptyData ? undefined : schema.safeParse(e.data);
    if (checked?.success === false) return { refused: `${e.type}: ${describe(checked.error)}` };
    const data = stringifyDrf(e.data);
    const id = eventId(`${e.subject}\n${e.version}\n${e.type}\n${e.time}\n${data}`);
    const value = `{"specversion":"1.0","id":"${id}","source":"${IMPORT_SOURCE}","type":"${e.type}","subject":"${e.subject}","time":${JSON.stringify(e.time)},"datacontenttype":"application/json","aggregateversion":${e.version},"data":${data}}`;
    encoded.push({ key: e.subject, value, subject: e.subject, version: e.version });
  }
  return { encoded };
}

const SCHEMAS = new Map<string, z.ZodType>([...Object.entries(userEventData), ...Object.entries(groupEventData)]);

/** As the projector words a refusal (envelope.ts): "data.<field>: <why>". */
function describe(error: z.ZodError): string {
  return error.issues.map((i) => `data.${i.path.map(String).join('.')}: ${i.message}`).join('; ');
}

/** A UUID (version 5's layout) from the SHA-256 of what the event records. */
function eventId(content: string): string {
  const h = createHash('sha256').update(content, 'utf8').digest('hex');
  const variant = ((parseInt(h[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * A dumped datetime as an RFC 3339 time: JSON writes "2026-02-21T07:20:25.859Z", YAML (PyYAML) writes
 * "2026-02-21 07:20:25.859632+00:00". A time without an offset (a project with USE_TZ = False) is refused:
 * the import cannot know its zone. Undefined for a value that is not a timestamp.
 */
export function dumpTime(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = /^\d{4}-\d\d-\d\d /.test(value) ? `${value.slice(0, 10)}T${value.slice(11)}` : value;
  return normaliseEventTime(text) === null ? undefined : text;
}
