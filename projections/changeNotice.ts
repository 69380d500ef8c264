// What the projector tells readers when it commits: one PostgreSQL notification per committed batch and per
// generation switch, sent from inside the transaction, so it is delivered when (and only if) the transaction
// commits. API processes listen (services/api/changes/changeFeed.ts) instead of asking on every request.
import { Db } from '../shared/db';
import type { AuthChanges } from './authChanges';

export const CHANGES_CHANNEL = 'rollcall_changes';

/**
 * A batch committed into `schema`: its partition's checkpoint is now `nextOffset`; `auth` names whose
 * authentication it may have changed (authChanges.ts).
 */
export type BatchNotice = Readonly<{ kind: 'batch'; schema: string; topic: string; partition: number; nextOffset: bigint; auth: AuthChanges }>;
/** A replay switched the serving generation. */
export type GenerationNotice = Readonly<{ kind: 'generation' }>;
export type ChangeNotice = BatchNotice | GenerationNotice;
/** What a listener hears: a notice, or `resync` when it (re)connected or lost its connection: anything may have changed unheard. */
export type HeardChange = ChangeNotice | Readonly<{ kind: 'resync' }>;

export function encodeNotice(n: ChangeNotice): string {
  // Under NOTIFY's 8,000-byte payload: a schema name, a topic name (Kafka: at most 249 characters), two numbers,
  // and at most MAX_NAMED ids of at most 20 digits.
  if (n.kind === 'generation') return 'generation';
  const auth = n.auth === 'all' ? 'all' : [n.auth.users, n.auth.groups];
  return JSON.stringify(['batch', n.schema, n.topic, n.partition, n.nextOffset.toString(), auth]);
}

/** The notice a payload carries; null for a payload this version does not know (a newer projector's). */
export function decodeNotice(payload: string): ChangeNotice | null {
  if (payload === 'generation') return { kind: 'generation' };
  try {
    const [kind, schema, topic, partition, next, auth] = JSON.parse(payload) as unknown[];
    if (kind !== 'batch' || typeof schema !== 'string' || typeof topic !== 'string' || typeof partition !== 'number' || typeof next !== 'string') return null;
    return { kind, schema, topic, partition, nextOffset: BigInt(next), auth: decodeAuth(auth) };
  } catch {
    // Not JSON, or an offset that is not a number: a payload from something else on the channel, ignored.
    return null;
  }
}

/** The ids a notice names; 'all' for anything else (a projector from before names were sent names none). */
function decodeAuth(auth: unknown): AuthChanges {
  const ids = (v: unknown) => Array.isArray(v) && v.every((id) => typeof id === 'string');
  if (!Array.isArray(auth) || auth.length !== 2 || !ids(auth[0]) || !ids(auth[1])) return 'all';
  return { users: auth[0] as string[], groups: auth[1] as string[] };
}

/** Queues the notice in `db`'s transaction: PostgreSQL delivers it at commit, never before, never on rollback. */
export async function notifyChange(db: Db, notice: ChangeNotice): Promise<void> {
  await db.raw('select pg_notify(?, ?)', [CHANGES_CHANNEL, encodeNotice(notice)]);
}
