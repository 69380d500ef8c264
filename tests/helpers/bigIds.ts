// A generated history moved past 2^53: every user and group id (subjects, `invited_by`, `group_id`) plus a
// shift, written as raw JSON numbers, as a Django writer with 64-bit ids publishes them (events.md). The
// reference fold holds ids as JavaScript numbers, so a shifted history is checked against PostgreSQL alone.
import type { RawEvent } from './events';

const ID_FIELDS = ['invited_by', 'group_id'];
const subjectPattern = /^(user|group):(\d+)$/;

const shiftSubject = (subject: string, shift: bigint) => subject.replace(subjectPattern, (_, kind: string, id: string) => `${kind}:${BigInt(id) + shift}`);

export function shiftIds<T extends RawEvent>(m: T, shift: bigint): T {
  let body: { subject?: string; data?: Record<string, unknown> };
  try {
    body = JSON.parse(m.value);
  } catch {
    return { ...m, subject: shiftSubject(m.subject, shift) }; // poison that is not JSON: left as it is
  }
  if (typeof body !== 'object' || body === null) return m;
  if (typeof body.subject === 'string') body.subject = shiftSubject(body.subject, shift);
  for (const f of ID_FIELDS) {
    const v = body.data?.[f];
    if (typeof v === 'number' && Number.isSafeInteger(v)) (body.data as Record<string, unknown>)[f] = `\u0000${BigInt(v) + shift}`;
  }
  const value = JSON.stringify(body).replace(/"\\u0000(\d+)"/g, '$1');
  return { ...m, subject: shiftSubject(m.subject, shift), value };
}
