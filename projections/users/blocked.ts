// Users blocked behind a dead-lettered registration (events.md: a registration that breaks the contract is
// dead-lettered, "and so is every later event of that user until it is redriven"). One row per such user in
// the generation's blocked_registrations table, kept in the batch's transaction: the registration that caused
// it and how many later events it has cost so far. The row goes when the user is registered at last.
import { Db } from '../../shared/db';
import { table } from '../readModel';

type Cause = { offset: string; reason: string; events: number };

/** What one batch did to blocked users, gathered in message order as the fold meets the events. */
export class BlockedRegistrations {
  private readonly causes = new Map<string, Cause>();
  /** Later events of users whose blocking registration came in an earlier batch (or never). */
  private readonly earlierCauses = new Map<string, number>();
  private readonly registered = new Set<string>();

  /** A user.registered for a user not registered yet was dead-lettered. */
  badRegistration(userId: string, offset: string, reason: string): void {
    if (!this.causes.has(userId)) this.causes.set(userId, { offset, reason, events: 0 });
  }

  /** A later event was dead-lettered as "never registered". */
  neverRegistered(userId: string): void {
    const cause = this.causes.get(userId);
    if (cause !== undefined) cause.events += 1;
    else this.earlierCauses.set(userId, (this.earlierCauses.get(userId) ?? 0) + 1);
  }

  /** The user was registered: whatever blocked it is over. */
  registeredNow(userId: string): void {
    this.causes.delete(userId);
    this.earlierCauses.delete(userId);
    this.registered.add(userId);
  }

  /** Writes the batch's changes: at most three statements, none for a batch that met no such event. */
  async write(db: Db, schema: string, partition: number): Promise<void> {
    const t = table(schema, 'blocked_registrations');
    if (this.earlierCauses.size > 0) {
      // Only counted where a row exists: a user whose registration never arrived at all is not blocked.
      await db.raw(`update ${t} b set blocked_events = b.blocked_events + v.n from unnest(?::bigint[], ?::bigint[]) v(id, n) where b.user_id = v.id`, [
        [...this.earlierCauses.keys()], [...this.earlierCauses.values()],
      ]);
    }
    if (this.causes.size > 0) {
      const ids = [...this.causes.keys()];
      const causes = [...this.causes.values()];
      await db.raw(
        `insert into ${t} (user_id, partition, registration_offset, reason, blocked_events)
         select id, ?, o, r, n from unnest(?::bigint[], ?::bigint[], ?::text[], ?::bigint[]) v(id, o, r, n)
         on conflict (user_id) do update set blocked_events = ${t}.blocked_events + excluded.blocked_events`,
        [partition, ids, causes.map((c) => c.offset), causes.map((c) => c.reason), causes.map((c) => c.events)],
      );
    }
    if (this.registered.size > 0) await db.raw(`delete from ${t} where user_id = any(?::bigint[])`, [[...this.registered]]);
  }
}

export type BlockedSummary = { users: number; events: number };

/** How many users are blocked behind a dead-lettered registration, and how many of their events so far. */
export async function blockedSummary(db: Db, schema: string): Promise<BlockedSummary> {
  const { rows } = await db.raw<{ rows: Array<{ users: string; events: string }> }>(
    `select count(*) as users, coalesce(sum(blocked_events), 0) as events from ${table(schema, 'blocked_registrations')}`,
  );
  return { users: Number(rows[0]?.users ?? 0), events: Number(rows[0]?.events ?? 0) };
}
