// What the projector tells readers when it commits: one PostgreSQL notification per committed batch and per
// generation switch, sent from inside the transaction, so it is delivered when (and only if) the transaction
// commits. API processes listen (services/api/changes/changeFeed.ts) instead of asking on every request.
import { Db } from '../shared/db';

export const CHANGES_CHANNEL = 'rollcall_changes';

/** A batch committed into `schema`: its partition's checkpoint is now `nextOffset`. */
export type BatchNotice = Readonly<{ kind: 'batch'; schema: string; topic: string; partition: number; nextOffset: bigint }>;
/** A replay switched the serving generation. */
export type GenerationNotice = Readonly<{ kind: 'generation' }>;
export type ChangeNotice = BatchNotice | GenerationNotice;
/** What a listener hears: a notice, or `resync` when it (re)connected or lost its connection: anything may have changed unheard. */
export type HeardChange = ChangeNotice | Readonly<{ kind: 'resync' }>;

export function encodeNotice(n: ChangeNotice): string {
  // Well under NOTIFY's 8,000-byte payload: a schema name, a topic name (Kafka: at most 249 characters), two numbers.
  return n.kind === 'generation' ? 'generation' : JSON.stringify(['batch', n.schema, n.topic, n.partition, n.nextOffset.toString()]);
}

/** The notice a payload carries; null for a payload this version does not know (a newer projector's). */
export function decodeNotice(payload: string): ChangeNotice | null {
  if (payload === 'generation') return { kind: 'generation' };
  try {
    const [kind, schema, topic, partition, next] = JSON.parse(payload) as unknown[];
    if (kind !== 'batch' || typeof schema !== 'string' || typeof topic !== 'string' || typeof partition !== 'number' || typeof next !== 'string') return null;
    return { kind, schema, topic, partition, nextOffset: BigInt(next) };
  } catch {
    // Not JSON, or an offset that is not a number: a payload from something else on the channel, ignored.
    return null;
  }
}

/** Queues the notice in `db`'s transaction: PostgreSQL delivers it at commit, never before, never on rollback. */
export async function notifyChange(db: Db, notice: ChangeNotice): Promise<void> {
  await db.raw('select pg_notify(?, ?)', [CHANGES_CHANNEL, encodeNotice(notice)]);
}
