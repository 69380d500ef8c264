// Which users (slots) belong to which groups, and which groups exist: how the index answers `group_id` and
// `groups_in` (a user in two of the groups counts once). Only users in some group take memory: a set entry
// per membership.
import type { GroupClauses, GroupKey } from './query';

export class GroupMembers {
  private readonly members = new Map<GroupKey, Set<number>>();
  private readonly ofUser = new Map<number, readonly GroupKey[]>();
  private readonly live = new Set<GroupKey>();
  private memberships = 0;

  /** Records the user's groups (existing or not: SQL compares the ids), replacing what was held. */
  setUser(userId: number, groups: readonly GroupKey[]): void {
    const was = this.ofUser.get(userId) ?? [];
    if (was.length === 0 && groups.length === 0) return;
    this.memberships += groups.length - was.length;
    for (const g of was) this.members.get(g)?.delete(userId);
    if (groups.length === 0) {
      this.ofUser.delete(userId);
      return;
    }
    this.ofUser.set(userId, groups);
    for (const g of groups) {
      let set = this.members.get(g);
      if (set === undefined) this.members.set(g, (set = new Set()));
      set.add(userId);
    }
  }

  /** Records whether a group exists (is not deleted); true when that changed. */
  setGroup(groupId: GroupKey, exists: boolean): boolean {
    if (this.live.has(groupId) === exists) return false;
    if (exists) this.live.add(groupId);
    else this.live.delete(groupId);
    return true;
  }

  passes(userId: number, clauses: GroupClauses): boolean {
    if (clauses.length === 0) return true;
    const groups = this.ofUser.get(userId);
    if (groups === undefined) return false;
    return clauses.every((clause) => clause.some((g) => this.live.has(g) && groups.includes(g)));
  }

  /** Every user that may pass the clauses (members of the smallest clause's existing groups), each once. */
  candidates(clauses: GroupClauses): Set<number> {
    let best: Set<number>[] | null = null;
    let bestSize = Infinity;
    for (const clause of clauses) {
      const sets = clause.filter((g) => this.live.has(g)).map((g) => this.members.get(g) ?? new Set<number>());
      const size = sets.reduce((n, s) => n + s.size, 0);
      if (size < bestSize) [best, bestSize] = [sets, size];
    }
    const users = new Set<number>();
    for (const s of best ?? []) for (const id of s) users.add(id);
    return users;
  }

  /** Bytes held, roughly (a Map or Set entry about 40 bytes). */
  get bytes(): number {
    return (this.memberships * 2 + this.ofUser.size + this.live.size) * 40;
  }
}
