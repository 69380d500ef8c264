// One Kafka batch (one partition) → the read model, in one PostgreSQL transaction with its checkpoint:
// lock the checkpoint, drop what was applied before, load the rows the batch names (one query per
// table), fold the events in memory, write the changed rows back (one statement per table).
import { Knex } from 'knex';
import { decodeEvent, DecodedEvent } from '../shared/events/envelope';
import { laterTime } from '../shared/events/time';
import { activeGeneration, Generation } from './generations';
import { advanceCheckpoint, lockCheckpoint } from './checkpoints';
import { evolveUser } from './users/evolve';
import { loadUsers, upsertUsers } from './users/store';
import { UserRow } from './users/userRow';
import { addCounts, countDeltas } from './users/counts';
import { evolveGroup, GroupRow } from './groups/evolve';
import { loadGroups, upsertGroups } from './groups/store';
import { Outcome } from './versioning';

export type InboundMessage = Readonly<{ offset: string; key: Buffer | null; value: Buffer | null; headers?: unknown }>;
export type InboundBatch = Readonly<{ topic: string; partition: number; messages: readonly InboundMessage[] }>;

export type DeadLetter = Readonly<{ message: InboundMessage; reason: string }>;
export type EventOutcome = 'applied' | 'duplicate' | 'unknown_type' | 'dead_lettered' | 'already_applied';
export type BatchResult = Readonly<{
  partition: number;
  generation: number;
  outcomes: ReadonlyArray<{ type: string; outcome: EventOutcome; gap: boolean; subject?: string }>;
  deadLetters: readonly DeadLetter[];
}>;

export type ApplyHooks = {
  /** Runs inside the transaction before it commits (dead letters are published here). */
  beforeCommit?: (deadLetters: readonly DeadLetter[]) => Promise<void>;
  /** The generation to write; by default the serving one, locked FOR SHARE so a replay's switch waits. */
  generation?: Generation;
};

export async function applyBatch(db: Knex, batch: InboundBatch, hooks: ApplyHooks = {}): Promise<BatchResult> {
  return db.transaction(async (trx) => {
    const gen = hooks.generation ?? (await activeGeneration(trx, { lock: true }));
    const nextOffset = await lockCheckpoint(trx, gen.schema, batch.topic, batch.partition);
    const fresh = batch.messages.filter((m) => BigInt(m.offset) >= nextOffset);
    const stale = batch.messages.length - fresh.length;
    const outcomes: Array<BatchResult['outcomes'][number]> = Array.from({ length: stale }, () => ({
      type: '', outcome: 'already_applied' as const, gap: false,
    }));
    if (fresh.length === 0) return { partition: batch.partition, generation: gen.id, outcomes, deadLetters: [] };

    const decoded = fresh.map((m) => decodeEvent(m.value, 'events'));
    const [users, groups] = await Promise.all([
      loadUsers(trx, gen.schema, subjectIds(decoded, 'user')),
      loadGroups(trx, gen.schema, subjectIds(decoded, 'group')),
    ]);
    const loaded = new Map(users);
    const fold = foldEvents(decoded, fresh, users, groups);
    outcomes.push(...fold.outcomes);

    await upsertUsers(trx, gen.schema, [...fold.changedUsers].map((id) => users.get(id) as UserRow));
    await upsertGroups(trx, gen.schema, [...fold.changedGroups].map((id) => groups.get(id) as GroupRow));
    await addCounts(trx, gen.schema, batch.partition, countDeltas(loaded, users, fold.changedUsers));
    const last = fresh[fresh.length - 1] as InboundMessage;
    await advanceCheckpoint(trx, gen.schema, {
      topic: batch.topic,
      partition: batch.partition,
      nextOffset: BigInt(last.offset) + 1n,
      lastEventTime: fold.lastEventTime,
    });
    await hooks.beforeCommit?.(fold.deadLetters);
    return { partition: batch.partition, generation: gen.id, outcomes, deadLetters: fold.deadLetters };
  });
}

function subjectIds(decoded: DecodedEvent[], kind: 'user' | 'group'): string[] {
  const ids = new Set<string>();
  for (const d of decoded) {
    if (d.kind === kind || (d.kind === 'unknown-type' && d.meta.subject.startsWith(`${kind}:`))) ids.add(d.meta.subjectId);
  }
  return [...ids];
}

function foldEvents(
  decoded: DecodedEvent[],
  messages: readonly InboundMessage[],
  users: Map<string, UserRow>,
  groups: Map<string, GroupRow>,
) {
  const changedUsers = new Set<string>();
  const changedGroups = new Set<string>();
  const deadLetters: DeadLetter[] = [];
  const outcomes: Array<BatchResult['outcomes'][number]> = [];
  let lastEventTime: string | null = null;

  decoded.forEach((d, i) => {
    const message = messages[i] as InboundMessage;
    if (d.kind === 'invalid' || d.kind === 'activity') {
      const reason = d.kind === 'invalid' ? d.reason : 'an activity event on the events topic';
      deadLetters.push({ message, reason });
      outcomes.push({ type: 'invalid', outcome: 'dead_lettered', gap: false });
      return;
    }
    const isUser = d.meta.subject.startsWith('user:');
    const states = isUser ? users : groups;
    const changed = isUser ? changedUsers : changedGroups;
    let outcome: Outcome<UserRow | GroupRow>;
    if (d.kind === 'unknown-type') {
      outcome = skipUnknownType(states.get(d.meta.subjectId), d.meta.version as bigint);
    } else {
      outcome = d.kind === 'user' ? evolveUser(users.get(d.meta.subjectId), d) : evolveGroup(groups.get(d.meta.subjectId), d);
    }
    if (outcome.result === 'applied') {
      states.set(d.meta.subjectId, outcome.state as UserRow & GroupRow);
      changed.add(d.meta.subjectId);
      if (lastEventTime === null || laterTime(d.meta.time, lastEventTime)) lastEventTime = d.meta.time;
    } else if (outcome.result === 'rejected') {
      deadLetters.push({ message, reason: outcome.reason });
    }
    outcomes.push({
      type: d.meta.type,
      subject: d.meta.subject,
      gap: outcome.result === 'applied' && outcome.gap,
      outcome:
        d.kind === 'unknown-type' ? 'unknown_type'
        : outcome.result === 'applied' ? 'applied'
        : outcome.result === 'duplicate' ? 'duplicate'
        : 'dead_lettered',
    });
  });
  return { changedUsers, changedGroups, deadLetters, outcomes, lastEventTime };
}

/**
 * An event of a type this version does not know is skipped (events.md), but its version still moves the
 * subject on, so the next known event is not reported as a gap: nothing was lost upstream.
 */
function skipUnknownType<S extends { version: string }>(state: S | undefined, version: bigint): Outcome<S> {
  if (state === undefined || version <= BigInt(state.version)) return { result: 'duplicate' };
  return { result: 'applied', state: { ...state, version: version.toString() }, gap: false };
}
