// events.md: the Kafka key of an event is its subject. How a key names a subject, and what becomes of an event
// whose key does not (a dead letter: docs/decisions.md).
import { DecodedEvent } from '../shared/events/envelope';
import { MAX_ID } from '../shared/events/types';

type Keyed = Readonly<{ key: Buffer | null }>;

/** The event, or a dead letter if its key does not name its subject (its meta dropped: nothing of it is folded). */
export function keyedBySubject(d: DecodedEvent, key: Buffer | null): DecodedEvent {
  if (d.kind === 'activity' || d.meta === undefined) return d;
  const named = key === null ? null : keySubject(key.toString('latin1'));
  if (named === d.meta.subject) return d;
  const given = key === null ? 'no key' : `key ${key.toString('utf8')}`;
  return { kind: 'invalid', reason: `${given} does not name the subject ${d.meta.subject} (events.md: the key is the subject)` };
}

/** "user:42" for the keys "user:42" and "user:042"; null for a key that names no subject rollcall could hold. */
function keySubject(key: string): string | null {
  const m = KEY.exec(key);
  if (m === null || (m[2]!.length === 19 && BigInt(m[2]!) > MAX_ID)) return null;
  return `${m[1]}:${m[2]}`;
}

/** Ids named by the messages' keys ("user:42"), each a valid bigint. */
export function keyIds(messages: readonly Keyed[], kind: 'user' | 'group'): Set<string> {
  const ids = new Set<string>();
  for (const m of messages) {
    const named = m.key === null ? null : keySubject(m.key.toString('latin1'));
    if (named !== null && named.startsWith(`${kind}:`)) ids.add(named.slice(kind.length + 1));
  }
  return ids;
}

const KEY = /^(user|group):0*([1-9]\d{0,18})$/;
