// The in-memory index of one generation's users: its one interface. `ask` answers a query (count, the first n
// in an order, the online users that match); `set` and `setGroups` write. Its columns and bitmaps
// (columns.ts) are read by one Matches per question (matcher.ts). Loaded and refreshed by load.ts; held, per
// process, by holder.ts. Nothing outside this folder touches its arrays or bitmaps.
import { RoaringBitmap32 } from 'roaring';
import { UserColumns, UserRow } from './columns';
import { firstById, Matches } from './matcher';
import { Key, topIds } from './topIds';
import { groupKey, IndexQuery, NumericTerm } from './query';
import type { OnlineSnapshot } from '../../../shared/activity/onlineSnapshot';

/** Which offsets of each partition (`topic/partition`) the index reflects. */
export type Position = ReadonlyMap<string, bigint>;

/** What the index answers of one query. */
export type Answer = Readonly<{
  count: number;
  /** The first `n` ids in the order: ranked among the matches of the order's first days (dayBuckets.ts), or read from the bitmap's end for id. */
  top: (order: readonly NumericTerm[], n: number) => string[];
  /** How many online users match, and (with `list`) their ids. */
  amongOnline: (online: OnlineSnapshot, list: boolean) => { count: number; ids: string[] };
}>;

export class UserIndex {
  private readonly cols = new UserColumns();

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
    return Object.values(this.cols.memory()).reduce((a, b) => a + b, 0);
  }

  /** Bytes held by each part of the index. */
  memory(): Record<string, number> {
    return this.cols.memory();
  }

  get wantsRebuild(): boolean {
    return this.cols.wantsRebuild;
  }

  /** The answer to a query; a search whose terms need their texts tested is computed in turns of the event loop the first time (searchResults.ts). */
  async ask(q: IndexQuery): Promise<Answer> {
    const m = new Matches(this.cols, q, await this.searched(q));
    const { cols } = this;
    const idsOf = (slots: readonly number[]) => slots.map((s) => cols.slots.idOf(s));
    return {
      count: m.count,
      top: (order, n) => (order.length === 0 ? [] : idsOf(topIds((fn) => this.candidates(order, m.bits, n).forEach(fn), this.keysOf(order), n))),
      amongOnline: (online, list) => {
        const slots: number[] = [];
        online.forEachOnline((id, key) => {
          const slot = Number.isSafeInteger(id) ? cols.slots.slotOfNumber(id) : cols.slots.slotOf(key);
          if (slot !== undefined) slots.push(slot);
        });
        const matching = RoaringBitmap32.and(m.bits, new RoaringBitmap32(slots)).toUint32Array();
        return { count: matching.length, ids: list ? idsOf([...matching]) : [] };
      },
    };
  }

  /**
   * A superset of the first n of `bits` in the order, read from the first term's day buckets (or the id order's
   * end) until n are found. The members without the first term's value sort among themselves by the rest of
   * the order: they are found the same way, by the next term's buckets (the parser ends every order with id),
   * so a null-heavy ordering reads what its page needs, not every null.
   */
  private candidates(order: readonly NumericTerm[], bits: RoaringBitmap32, n: number): number[] {
    const [first, ...rest] = order;
    if (first === undefined) return [...bits.toUint32Array()];
    if (first.column === 'id') return firstById(bits, this.cols.slots.sortedEnd, first.descending, n);
    return this.cols.days.firstInOrder(first.column, first.descending, bits, n, (nulls, wanted) => this.candidates(rest, nulls, wanted));
  }

  /** The users whose text holds the query's terms: their trigrams' bitmaps when every term is three characters (exact), else the tested answer. */
  private async searched(q: IndexQuery): Promise<RoaringBitmap32 | null> {
    if (q.search.length === 0) return null;
    const terms = this.cols.search.terms(q.search);
    return terms.unproven.length === 0 ? this.cols.search.candidates(terms) : this.cols.search.exact(terms);
  }

  private keysOf(order: readonly NumericTerm[]): Key[] {
    const { slots } = this.cols;
    return order.map(({ column, descending }) => column === 'id'
      ? { key: (slot: number) => slots.key(slot), tie: (a: number, b: number) => slots.compare(a, b), descending }
      : { key: (slot: number) => this.cols.time(slot, column), descending });
  }

  /** Room for this many users before a load (columns.ts). */
  reserve(users: number): void {
    this.cols.reserve(users);
  }

  /** Records a user; false when it cannot be held exactly (columns.ts). */
  set(row: UserRow): boolean {
    return this.cols.write(row) !== null;
  }

  /** Records which groups exist. */
  setGroups(rows: ReadonlyArray<{ id: string; deleted: boolean }>): void {
    for (const r of rows) this.cols.groups.setGroup(groupKey(r.id), !r.deleted);
  }

  /** Builds the bitmaps and orders: the end of a load (`done`: columns.ts). */
  build(done?: (part: string) => void): Promise<void> {
    return this.cols.build(done);
  }
}
