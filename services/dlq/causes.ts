// `rollcall dlq list` groups dead letters by cause: a dead-lettered registration makes every later event of that
// user a dead letter "user:N was never registered" (events.md), so one bad value can read as thousands of
// problems. Each such symptom is listed under the registration that caused it; an operator fixes one thing.
import { DeadLetterEntry } from './dlq';

export type ListedDeadLetter = DeadLetterEntry & {
  /** On a symptom: the origin (topic/partition/offset) of the dead-lettered registration behind it. */
  blockedBy: string | null;
  /** On a dead-lettered registration: how many later events of the user it blocked. */
  blocks: number;
};

const NEVER_REGISTERED = /^user:(\d+) was never registered$/;
const origin = (l: DeadLetterEntry) => `${l.origin.topic}/${l.origin.partition}/${l.origin.offset}`;

/** The letters in log order, each symptom tied to the latest dead-lettered registration of its user before it. */
export function groupByCause(letters: readonly DeadLetterEntry[]): ListedDeadLetter[] {
  const listed = [...letters]
    .sort((a, b) => a.origin.topic.localeCompare(b.origin.topic) || a.origin.partition - b.origin.partition || Number(BigInt(a.origin.offset) - BigInt(b.origin.offset)))
    .map((l): ListedDeadLetter => ({ ...l, blockedBy: null, blocks: 0 }));
  const lastRegistration = new Map<string, ListedDeadLetter>();
  for (const l of listed) {
    const registered = registrationSubject(l);
    if (registered !== null) {
      lastRegistration.set(`${l.origin.topic}/${registered}`, l);
      continue;
    }
    const id = NEVER_REGISTERED.exec(l.error)?.[1];
    const cause = id === undefined ? undefined : lastRegistration.get(`${l.origin.topic}/user:${id}`);
    if (cause !== undefined) {
      l.blockedBy = origin(cause);
      cause.blocks += 1;
    }
  }
  return listed;
}

/** The subject of a dead-lettered user.registered of a user not registered yet, or null. */
function registrationSubject(l: DeadLetterEntry): string | null {
  if (l.value === null || /^user:\d+ is already registered$/.test(l.error)) return null;
  try {
    const e = JSON.parse(l.value) as { type?: unknown; subject?: unknown };
    return e.type === 'user.registered' && typeof e.subject === 'string' && e.subject.startsWith('user:') ? e.subject : null;
  } catch {
    return null; // not JSON: not a registration, so it causes nothing
  }
}

/** For people: the causes in log order, each followed by one line for what it blocks. */
export function formatByCause(listed: readonly ListedDeadLetter[]): string {
  const symptoms = listed.filter((l) => l.blockedBy !== null);
  const blockedBy = new Map<string, ListedDeadLetter[]>();
  for (const s of symptoms) blockedBy.set(s.blockedBy as string, [...(blockedBy.get(s.blockedBy as string) ?? []), s]);
  const lines = listed.filter((l) => l.blockedBy === null).map((l) => {
    const head = `${origin(l)}  key=${l.key ?? '(none)'}  ${l.error}\n    ${(l.value ?? '').slice(0, 200)}`;
    const blocked = blockedBy.get(origin(l)) ?? [];
    if (blocked.length === 0) return head;
    const at = blocked.map((b) => b.origin.offset);
    const shown = at.length <= 5 ? at.join(', ') : `${at.slice(0, 5).join(', ')}, … (${at.length - 5} more)`;
    return `${head}\n    blocks ${blocked.length} later events of ${l.key ?? 'this user'}, dead-lettered as never registered (offsets ${shown})`;
  });
  const summary = symptoms.length === 0 ? '' : `; ${symptoms.length} of them blocked behind ${blockedBy.size} dead-lettered registrations, listed under them`;
  return `${listed.length} dead letters${summary}\n${lines.join('\n')}${lines.length > 0 ? '\n' : ''}`;
}
