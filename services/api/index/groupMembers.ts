// Which users (slots) belong to which groups, as a compressed bitmap (Roaring) per group, and which groups
// exist: how the index answers `group_id` and `groups_in` (a clause is the union of its existing groups'
// members, so a user in two of them counts once). A user's groups are one number, the set's place in a list
// of the distinct sets (a directory has few): no object per user for the garbage collector to walk.
import { grown } from './growable';
import { RoaringBitmap32 } from 'roaring';
import type { GroupClauses, GroupKey } from './query';

export class GroupMembers {
  private readonly members = new Map<GroupKey, RoaringBitmap32>();
  private readonly live = new Set<GroupKey>();
  /** Per slot, 1 + the index of its set of groups in `sets`; 0 for none. */
  private setOf = new Int32Array(1024);
  private readonly sets: Array<readonly GroupKey[]> = [];
  private readonly setIds = new Map<string, number>();

  /** Records the user's groups (existing or not: SQL compares the ids), replacing what was held. */
  setUser(slot: number, groups: readonly GroupKey[]): void {
    if (slot >= this.setOf.length) this.grow(Math.max(slot + 1, this.setOf.length * 2));
    const wasSet = this.setOf[slot] as number;
    const was = wasSet === 0 ? [] : (this.sets[wasSet - 1] as readonly GroupKey[]);
    if (was.length === 0 && groups.length === 0) return;
    for (const g of was) if (!groups.includes(g)) this.members.get(g)?.remove(slot);
    for (const g of groups) {
      let bitmap = this.members.get(g);
      if (bitmap === undefined) this.members.set(g, (bitmap = new RoaringBitmap32()));
      bitmap.add(slot);
    }
    this.setOf[slot] = groups.length === 0 ? 0 : this.idOf(groups);
  }

  private idOf(groups: readonly GroupKey[]): number {
    const key = groups.join(',');
    let id = this.setIds.get(key);
    if (id === undefined) {
      this.sets.push(groups);
      this.setIds.set(key, (id = this.sets.length));
    }
    return id;
  }

  reserve(users: number): void {
    if (users > this.setOf.length) this.grow(users);
  }

  private grow(capacity: number): void {
    this.setOf = grown(this.setOf, capacity);
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
    let n = this.setOf.byteLength + this.sets.length * 64 + this.live.size * 40;
    for (const b of this.members.values()) n += b.getSerializationSizeInBytes('croaring') + 48;
    return n;
  }
}
