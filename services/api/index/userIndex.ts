// The in-memory index of one generation's users: what it answers (counts, the first n in an order, the online
// users that match) and how it is written (a user, a group). Its columns (columns.ts) are read by one
// Matcher per question; counts asked again come from KeptCounts, kept exact as users change. Loaded and
// refreshed by load.ts; held, per process, by holder.ts. Nothing outside this folder touches its arrays.
import { UserColumns, UserRow } from './columns';
import { Matcher } from './matcher';
import { KeptCounts } from './keptCounts';
import { Key, topIds } from './topIds';
import { walkTop } from './orderWalk';
import { groupKey, IndexQuery, NumericTerm } from './query';
import type { OnlineSnapshot } from '../../../shared/activity/onlineSnapshot';

/** Which offsets of each partition (`topic/partition`) the index reflects. */
export type Position = ReadonlyMap<string, bigint>;

export class UserIndex {
  private readonly cols = new UserColumns();
  private readonly counts = new KeptCounts();
  /** The matcher of each query asked: a kept count's is reused on every write. */
  private readonly matchers = new WeakMap<IndexQuery, Matcher>();
  /** Rows read by the load (users, deleted ones included). */
  loadedRows = 0;

  /** `searchable`: whether PostgreSQL's upper() folds ASCII as JavaScript does (load.ts): searches are then answered here. */
  constructor(readonly schema: string, public position: Position, readonly searchable: boolean) {}

  /** Whether the index can answer the query: a search only where it holds the texts. */
  holds(q: IndexQuery): boolean {
    return q.search.length === 0 || (this.searchable && !this.cols.search.full);
  }

  /** Users held (deleted ones included). */
  get users(): number {
    return this.cols.slots.size;
  }

  get bytes(): number {
    return this.cols.bytes;
  }

  get wantsRebuild(): boolean {
    return this.cols.wantsRebuild;
  }

  /** A query's count: one pass over its candidates the first time, then kept exact as users change. */
  count(q: IndexQuery): number {
    return this.counts.get(q, () => {
      let n = 0;
      this.matcher(q).each(() => n++);
      return n;
    });
  }

  /**
   * The count, and the first `n` matching ids in the order when fewer than `below` match (else null). A count
   * not kept comes from the same pass as the first users, which stops ranking them once `below` have matched.
   */
  countAndTop(q: IndexQuery, order: readonly NumericTerm[], n: number, below: number): { count: number; ids: string[] | null } {
    let ranked: number[] | null = null;
    const m = this.matcher(q);
    const count = this.counts.get(q, () => {
      let matched = 0;
      ranked = topIds((fn) => m.each((slot) => (++matched < below ? fn(slot) : undefined)), this.keysOf(order), n);
      return matched;
    });
    if (count >= below) return { count, ids: null };
    return { count, ids: ranked === null ? null : this.idsOf(ranked) };
  }

  /** The first `n` matching ids in the order, from one pass over the candidates. */
  top(q: IndexQuery, order: readonly NumericTerm[], n: number): string[] {
    const m = this.matcher(q);
    return this.idsOf(topIds((fn) => m.each(fn), this.keysOf(order), n));
  }

  /** The first `n` matching ids by walking the order from its start (orderWalk.ts); null past `budget` users tested. */
  walk(q: IndexQuery, order: readonly NumericTerm[], n: number, budget: number): string[] | null {
    const { cols } = this;
    if (cols.order === null) return null;
    const m = this.matcher(q);
    const walked = walkTop({
      sortedSize: cols.slots.sortedEnd,
      unsorted: cols.slots.unsorted,
      passes: (slot) => m.passes(slot),
      value: (col, slot) => cols.time(slot, col),
      order: cols.order,
      keys: this.keysOf(order),
    }, order, n, budget);
    return walked === null ? null : this.idsOf(walked);
  }

  private matcher(q: IndexQuery): Matcher {
    let m = this.matchers.get(q);
    if (m === undefined) this.matchers.set(q, (m = new Matcher(this.cols, q)));
    return m;
  }

  private keysOf(order: readonly NumericTerm[]): Key[] {
    const { slots } = this.cols;
    return order.map(({ column, descending }) => column === 'id'
      ? { key: (slot: number) => slots.key(slot), tie: (a: number, b: number) => slots.compare(a, b), descending }
      : { key: (slot: number) => this.cols.time(slot, column), descending });
  }

  private idsOf(slots: readonly number[]): string[] {
    return slots.map((s) => this.cols.slots.idOf(s));
  }

  /** How many online users match, and (with `list`) their ids. */
  amongOnline(q: IndexQuery, online: OnlineSnapshot, list: boolean): { count: number; ids: string[] } {
    const m = this.matcher(q);
    const { slots } = this.cols;
    const ids: string[] = [];
    let count = 0;
    online.forEachOnline((id, key) => {
      const slot = Number.isSafeInteger(id) ? slots.slotOfNumber(id) : slots.slotOf(key);
      if (slot === undefined || !m.passes(slot)) return;
      count++;
      if (list) ids.push(key);
    });
    return { count, ids };
  }

  /** Records a user, keeping the kept counts exact; false when it cannot be held exactly (columns.ts). */
  set(row: UserRow): boolean {
    const known = this.cols.slots.slotOf(row.id);
    if (known !== undefined) this.counts.adjust(-1, (q) => this.matcher(q).passes(known));
    const slot = this.cols.write(row);
    if (slot === null) return false;
    this.counts.adjust(1, (q) => this.matcher(q).passes(slot));
    return true;
  }

  /** Records which groups exist; a change forgets the kept counts that name groups. */
  setGroups(rows: ReadonlyArray<{ id: string; deleted: boolean }>): void {
    for (const r of rows) if (this.cols.groups.setGroup(groupKey(r.id), !r.deleted)) this.counts.forgetGroups();
  }

  /** Builds the search lists and timestamp orders: the end of a load. */
  build(): Promise<void> {
    return this.cols.build();
  }
}
