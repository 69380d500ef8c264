// One Kafka batch (one partition) → the read model, in one PostgreSQL transaction with its checkpoint:
// lock the checkpoint, drop what was applied before, load the rows the batch names (one query per
// table), fold the events in memory, write the changed rows back (one statement per table).
import { Knex } from 'knex';
import { Db } from '../shared/db';
import { decodeEvent, DecodedEvent, EventMeta } from '../shared/events/envelope';
import { laterTime } from '../shared/events/time';
import { activeGeneration, Generation } from './generations';
import { advanceCheckpoint, lockCheckpoint } from './checkpoints';
import { evolveUser } from './users/evolve';
import { loadUsers, upsertUsers } from './users/store';
import { recordUserChange } from './users/changes';
import { notifyChange } from './changeNotice';
import { authChanges } from './authChanges';
import { BlockedRegistrations } from './users/blocked';
import { UserRow } from './users/userRow';
import { addCounts, countDeltas } from './users/counts';
import { evolveGroup, GroupRow } from './groups/evolve';
import { loadGroups, upsertGroups } from './groups/store';
import { Outcome } from './versioning';
import { keyedBySubject, keyIds } from './subjectKeys';

export type InboundMessage = Readonly<{ offset: string; key: Buffer | null; value: Buffer | null; headers?: unknown }>;
export type InboundBatch = Readonly<{ topic: string; partition: number; messages: readonly InboundMessage[] }>;

export type DeadLetter = Readonly<{ message: InboundMessage; reason: string }>;
export type EventOutcome = 'applied' | 'duplicate' | 'unknown_type' | 'dead_lettered' | 'already_applied';
export type BatchResult = Readonly<{
  partition: number;
  generation: number;
  /** One per message of the batch, in order (already-applied ones first): what became of it. */
  outcomes: ReadonlyArray<{ type: string; outcome: EventOutcome; gap: boolean; subject?: string; offset: string }>;
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
    const outcomes: Array<BatchResult['outcomes'][number]> = batch.messages.slice(0, stale).map((m) => ({
      type: '', outcome: 'already_applied' as const, gap: false, offset: m.offset,
    }));
    if (fresh.length === 0) return { partition: batch.partition, generation: gen.id, outcomes, deadLetters: [] };

    const { users, groups, loaded, loadedGroups, folded } = await loadAndFold(trx, gen.schema, fresh);
    outcomes.push(...folded.outcomes);

    await upsertUsers(trx, gen.schema, [...folded.changedUsers].map((id) => users.get(id) as UserRow));
    await upsertGroups(trx, gen.schema, [...folded.changedGroups].map((id) => groups.get(id) as GroupRow));
    await addCounts(trx, gen.schema, batch.partition, countDeltas(loaded, users, folded.changedUsers));
    const last = fresh[fresh.length - 1] as InboundMessage;
    const position = { topic: batch.topic, partition: batch.partition, nextOffset: BigInt(last.offset) + 1n };
    await advanceCheckpoint(trx, gen.schema, { ...position, lastEventTime: folded.lastEventTime });
    await recordUserChange(trx, gen.schema, { ...position, fromOffset: nextOffset, userIds: [...folded.changedUsers], groupIds: [...folded.changedGroups] });
    const auth = authChanges({ before: loaded, after: users, changed: folded.changedUsers }, { before: loadedGroups, after: groups, changed: folded.changedGroups });
    await notifyChange(trx, { kind: 'batch', schema: gen.schema, ...position, auth });
    await folded.blocked.write(trx, gen.schema, batch.partition);
    await hooks.beforeCommit?.(folded.deadLetters);
    return { partition: batch.partition, generation: gen.id, outcomes, deadLetters: folded.deadLetters };
  });
}

/**
 * Loads the rows the messages name and folds the messages into them. The rows are loaded by the messages'
 * keys (events.md: the key is the subject) before any value is parsed, so each event is decoded and folded at
 * once and its parsed JSON dies young: holding a whole batch of parsed events made the garbage collector copy
 * them all. An event whose key does not name its subject breaks the contract and is dead-lettered: another
 * partition may hold the subject's own events, and two transactions would fold the subject at once.
 */
async function loadAndFold(db: Db, schema: string, fresh: readonly InboundMessage[]) {
  const keyed = { user: keyIds(fresh, 'user'), group: keyIds(fresh, 'group') };
  const [users, groups] = await Promise.all([loadUsers(db, schema, [...keyed.user]), loadGroups(db, schema, [...keyed.group])]);
  const loaded = new Map(users);
  const loadedGroups = new Map(groups);
  return { users, groups, loaded, loadedGroups, folded: foldMessages(users, groups, fresh) };
}

/**
 * Decodes the messages and folds them, in order, into the rows given, by the projector's rules; writes nothing.
 * The projector's path for every batch, and `rollcall events check` on a publisher's file (services/eventsCheck).
 */
export function foldMessages(users: Map<string, UserRow>, groups: Map<string, GroupRow>, messages: readonly InboundMessage[]): Folded {
  const fold = createFold(users, groups, messages.length);
  messages.forEach((m, at) => fold.add(keyedBySubject(decodeEvent(m.value, 'events'), m.key), m, at));
  return fold.result();
}

export type Folded = Readonly<{
  changedUsers: ReadonlySet<string>;
  changedGroups: ReadonlySet<string>;
  deadLetters: readonly DeadLetter[];
  outcomes: ReadonlyArray<BatchResult['outcomes'][number]>;
  lastEventTime: string | null;
  blocked: BlockedRegistrations;
}>;

/**
 * Folds a batch's events, given one at a time with their position, into the rows loaded for it. A subject's
 * events must come in message order; outcomes and dead letters are reported in message order whatever the
 * order of the calls.
 */
function createFold(users: Map<string, UserRow>, groups: Map<string, GroupRow>, size: number) {
  const changedUsers = new Set<string>();
  const changedGroups = new Set<string>();
  const deadLetters: Array<DeadLetter & { at: number }> = [];
  const outcomes = new Array<BatchResult['outcomes'][number]>(size);
  const blocked = new BlockedRegistrations();
  let lastEventTime: string | null = null;

  const add = (d: DecodedEvent, message: InboundMessage, at: number): void => {
    if (d.kind === 'invalid' || d.kind === 'activity') {
      const reason = d.kind === 'invalid' ? d.reason : 'an activity event on the events topic';
      if (d.meta?.type === 'user.registered' && !users.has(d.meta.subjectId)) blocked.badRegistration(d.meta.subjectId, message.offset, reason);
      deadLetters.push({ message, reason, at });
      outcomes[at] = { type: 'invalid', outcome: 'dead_lettered', gap: false, offset: message.offset };
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
    if (isUser) trackBlocked(blocked, d, states.has(d.meta.subjectId), outcome);
    if (outcome.result === 'applied') {
      states.set(d.meta.subjectId, outcome.state as UserRow & GroupRow);
      changed.add(d.meta.subjectId);
      if (lastEventTime === null || laterTime(d.meta.time, lastEventTime)) lastEventTime = d.meta.time;
    } else if (outcome.result === 'rejected') {
      deadLetters.push({ message, reason: outcome.reason, at });
    }
    outcomes[at] = {
      offset: message.offset,
      type: d.meta.type,
      subject: d.meta.subject,
      gap: outcome.result === 'applied' && outcome.gap,
      outcome:
        d.kind === 'unknown-type' ? 'unknown_type'
        : outcome.result === 'applied' ? 'applied'
        : outcome.result === 'duplicate' ? 'duplicate'
        : 'dead_lettered',
    };
  };

  const result = (): Folded => ({
    changedUsers,
    changedGroups,
    deadLetters: deadLetters.sort((a, b) => a.at - b.at).map(({ message, reason }) => ({ message, reason })),
    outcomes,
    lastEventTime,
    blocked,
  });
  return { add, result };
}

/** A user event met while the user did not exist: the user registered at last, or a symptom of a bad registration. */
function trackBlocked(blocked: BlockedRegistrations, d: DecodedEvent & { meta: EventMeta }, existed: boolean, outcome: Outcome<unknown>): void {
  if (existed) return;
  if (outcome.result === 'applied' && d.meta.type === 'user.registered') blocked.registeredNow(d.meta.subjectId);
  else if (outcome.result === 'rejected') blocked.neverRegistered(d.meta.subjectId);
}

/**
 * An event of a type this version does not know is skipped (events.md), but its version still moves the
 * subject on, so the next known event is not reported as a gap: nothing was lost upstream.
 */
function skipUnknownType<S extends { version: string }>(state: S | undefined, version: bigint): Outcome<S> {
  if (state === undefined || version <= BigInt(state.version)) return { result: 'duplicate' };
  return { result: 'applied', state: { ...state, version: version.toString() }, gap: false };
}
