// Which users (slots) belong to which groups, as a compressed bitmap (Roaring) per group, and which groups
// exist: how the index answers `group_id` and `groups_in` (a clause is the union of its existing groups'
// members, so a user in two of them counts once). A user's groups are one number, the set's place in a list
// of the distinct sets (a directory has few): no object per user for the garbage collector to walk.
import { grown, Uint32List } from './growable';
import { inTurns } from './yieldEvery';
import { RoaringBitmap32 } from 'roaring';
import type { GroupClauses, GroupKey } from './query';

export class GroupMembers {
  private readonly members = new Map<GroupKey, RoaringBitmap32>();
  private readonly live = new Set<GroupKey>();
  /** Per slot, 1 + the index of its set of groups in `sets`; 0 for none. Two bytes a user until there are 65,535 sets. */
  private setOf: Uint16Array | Int32Array = new Uint16Array(1024);
  private readonly sets: Array<readonly GroupKey[]> = [];
  private readonly setIds = new Map<string, number>();
  /** The set of a list already seen (the load hands the same list for users of the same groups: no join per user). */
  private readonly seen = new WeakMap<readonly GroupKey[], number>();
  /** Until load(): users' sets are recorded, the members' bitmaps made at once at the end. */
  private loading = true;

  /** Records the user's groups (existing or not: SQL compares the ids), replacing what was held. */
  setUser(slot: number, groups: readonly GroupKey[]): void {
    if (slot >= this.setOf.length) this.grow(Math.max(slot + 1, this.setOf.length * 2));
    // The set's number first: a new one may widen setOf, and an assignment reads its target before its value.
    const set = groups.length === 0 ? 0 : this.idOf(groups);
    if (this.loading) {
      this.setOf[slot] = set;
      return;
    }
    const wasSet = this.setOf[slot] as number;
    const was = wasSet === 0 ? [] : (this.sets[wasSet - 1] as readonly GroupKey[]);
    if (was.length === 0 && groups.length === 0) return;
    for (const g of was) if (!groups.includes(g)) this.members.get(g)?.remove(slot);
    for (const g of groups) {
      let bitmap = this.members.get(g);
      if (bitmap === undefined) this.members.set(g, (bitmap = new RoaringBitmap32()));
      bitmap.add(slot);
    }
    this.setOf[slot] = set;
  }

  private idOf(groups: readonly GroupKey[]): number {
    const known = this.seen.get(groups);
    if (known !== undefined) return known;
    const key = groups.join(',');
    let id = this.setIds.get(key);
    if (id === undefined) {
      this.sets.push(groups);
      this.setIds.set(key, (id = this.sets.length));
      if (id > 0xffff && this.setOf instanceof Uint16Array) this.setOf = Int32Array.from(this.setOf);
    }
    this.seen.set(groups, id);
    return id;
  }

  /** After a load: each group's members from the users' sets (in turns), each bitmap made from its sorted slots at once. */
  async load(size: number): Promise<void> {
    const lists = new Map<GroupKey, Uint32List>();
    const ofSet = this.sets.map((groups) => groups.map((g) => {
      let list = lists.get(g);
      if (list === undefined) lists.set(g, (list = new Uint32List()));
      return list;
    }));
    await inTurns(size, (from, to) => {
      for (let slot = from; slot < to; slot++) {
        const set = this.setOf[slot] as number;
        if (set !== 0) for (const list of ofSet[set - 1] as Uint32List[]) list.push(slot);
      }
    });
    for (const [g, list] of lists) {
      const bitmap = new RoaringBitmap32(list.view());
      bitmap.runOptimize();
      this.members.set(g, bitmap);
    }
    this.loading = false;
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
