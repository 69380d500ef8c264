// Which users (slots) belong to which groups, as a compressed bitmap (Roaring) per group, and which groups
// exist: how the index answers `group_id` and `groups_in` (a clause is the union of its existing groups'
// members, so a user in two of them counts once).
import { RoaringBitmap32 } from 'roaring';
import type { GroupClauses, GroupKey } from './query';

export class GroupMembers {
  private readonly members = new Map<GroupKey, RoaringBitmap32>();
  private readonly ofUser = new Map<number, readonly GroupKey[]>();
  private readonly live = new Set<GroupKey>();

  /** Records the user's groups (existing or not: SQL compares the ids), replacing what was held. */
  setUser(slot: number, groups: readonly GroupKey[]): void {
    const was = this.ofUser.get(slot) ?? [];
    if (was.length === 0 && groups.length === 0) return;
    for (const g of was) if (!groups.includes(g)) this.members.get(g)?.remove(slot);
    for (const g of groups) {
      let bitmap = this.members.get(g);
      if (bitmap === undefined) this.members.set(g, (bitmap = new RoaringBitmap32()));
      bitmap.add(slot);
    }
    if (groups.length === 0) this.ofUser.delete(slot);
    else this.ofUser.set(slot, groups);
  }

  /** Records whether a group exists (is not deleted). */
  setGroup(group: GroupKey, exists: boolean): void {
    if (exists) this.live.add(group);
    else this.live.delete(group);
  }

  /** The users in an existing group of every clause (a new bitmap), or null for no clause. */
  select(clauses: GroupClauses): RoaringBitmap32 | null {
    let result: RoaringBitmap32 | null = null;
    for (const clause of clauses) {
      const users = RoaringBitmap32.orMany(clause.filter((g) => this.live.has(g)).map((g) => this.members.get(g) ?? new RoaringBitmap32()));
      result = result === null ? users : result.andInPlace(users);
    }
    return result;
  }

  /** Bytes held, roughly (a Map entry about 40 bytes). */
  get bytes(): number {
    let n = this.ofUser.size * 56 + this.live.size * 40;
    for (const b of this.members.values()) n += b.getSerializationSizeInBytes('croaring') + 48;
    return n;
  }
}
