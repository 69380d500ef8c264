// Every user's flags, gender and timestamps in memory (26 bytes each, plus the groups of users in groups),
// kept as fresh as the read model through the projector's change log: what counts a request that combines
// filters with `is_online` (the online users are looked up one by one, 100,000 in about a millisecond, where
// PostgreSQL needs 250 ms to join them) or with each other (no counter has that combination). The flags are
// computed by PostgreSQL from the filters' own SQL (facetSpec.ts), so the count and the page agree on what
// each flag means. With them, each timestamp's order (timeOrder.ts) and every user's search text
// (searchIndex.ts). facetLoad.ts reads them from PostgreSQL; facetCache.ts keeps the serving generation's copy.
import { FacetSpec, PRESENT } from './facetSpec';
import { NumericTerm, topIds } from './topIds';
import { GroupMembers } from './groupMembers';
import { SearchIndex, SearchTerms } from './searchIndex';
import { TimeOrder } from './timeOrder';
import { WALK_MAX, walkTop } from './orderWalk';
import { KeptCounts } from './keptCounts';
import type { OnlineSnapshot } from '../../../shared/activity/onlineSnapshot';

/** Ids below this live in a typed array indexed by id; the rest (sparse, large ids) in a Map. */
const DIRECT_LIMIT = 1 << 25;

/** Which offsets of each partition (`topic/partition`) the copy reflects. */
export type Position = ReadonlyMap<string, bigint>;
/** A user as facetLoad.ts reads it: flags, groups, timestamps (epoch µs) and search text ('' when not held). */
export type UserFlags = { id: string; f: number; g: string[]; t0: number | null; t1: number | null; t2: number | null; s: string };

export class UserFacets {
  private flags = new Uint16Array(1 << 16);
  /** created_at, updated_at, last_login of each user (facetSpec.ts, TIMESTAMPS): one column each, by id. */
  private times = [new Float64Array(1 << 16), new Float64Array(1 << 16), new Float64Array(1 << 16)];
  private readonly far = new Map<number, number>();
  private readonly farTimes = new Map<number, readonly number[]>();
  private readonly groups = new GroupMembers();
  private readonly search = new SearchIndex(DIRECT_LIMIT);
  /** The users in order of each timestamp, from the end of the load on. */
  private order: TimeOrder | null = null;
  private readonly counts = new KeptCounts();

  /** `searchable`: whether PostgreSQL's upper() folds ASCII as JavaScript does (facetLoad.ts): searches are then counted here. */
  constructor(readonly schema: string, public position: Position, readonly searchable: boolean) {}

  /** Rows read by the load (users, deleted ones included). */
  loadedRows = 0;

  /** Builds the trigram lists and timestamp orders of the users set so far: the end of a load. */
  async index(): Promise<void> {
    await this.search.build();
    this.order = await TimeOrder.build(this.times, (id) => ((this.flags[id] as number) & PRESENT) !== 0);
  }

  /** Whether this index can count the test: a search only where PostgreSQL folds ASCII as JavaScript does, and the texts fit. */
  holds(spec: FacetSpec): boolean {
    return spec.search.length === 0 || (this.searchable && !this.search.full);
  }

  /** Whether a load from scratch would serve searches and date filters faster (many users written since this one). */
  get wantsRebuild(): boolean {
    return this.search.wantsRebuild || (this.order?.wantsRebuild ?? false);
  }

  /**
   * How many users match. A test's count is computed once (a pass over every user, a few milliseconds for a
   * million) and then kept exact as flags change (set, keptCounts.ts).
   */
  count(spec: FacetSpec): number {
    return this.counts.get(spec, () => this.countAll(spec));
  }

  private countAll(spec: FacetSpec): number {
    let n = 0;
    this.eachMatching(spec, () => n++);
    return n;
  }

  /** Calls fn with each matching user: the members of the groups asked for, the users holding the search's rarest trigram, or every user. */
  private eachMatching(spec: FacetSpec, fn: (id: number) => void): void {
    const terms = this.termsOf(spec);
    const { mask, value } = spec;
    const flags = this.flags;
    const test = (id: number, listed = false) => {
      // Most candidates are turned away by their flags alone: tested here before the rest.
      if (id >= 0 && id < flags.length && ((flags[id] as number) & mask) !== value) return;
      if (this.passes(spec, id, terms, listed) === 1) fn(id);
    };
    if (spec.groups.length > 0) {
      for (const id of this.groups.candidates(spec.groups)) test(id);
      return;
    }
    if (terms !== null && this.search.eachCandidate(terms, test)) return;
    const slice = spec.times.length === 0 ? null : this.order?.narrowest(spec.times);
    // A slice of a quarter of the users or more is read faster by the plain pass below.
    if (slice && slice.size * 4 < this.loadedRows) {
      this.order?.each(slice, test);
      for (const id of this.far.keys()) test(id);
      return;
    }
    // The loop every in-memory count and page runs over a million users: typed arrays in locals, integer
    // indexes, one date range read without an inner loop (about 2 ms for a million here).
    // Clamped to the array before `| 0` (small integers for the loop): a bound past 2^31 once wrapped to -2^31.
    const low = Math.max(0, Math.ceil(spec.idMin));
    const high = Math.min(flags.length - 1, Math.floor(spec.idMax));
    const [start, last] = low <= high ? [low | 0, high | 0] : [1, 0];
    const [one, ...more] = spec.times;
    const column = one === undefined ? null : (this.times[one.col] as Float64Array);
    const from = one?.from ?? -Infinity;
    const to = one?.to ?? Infinity;
    for (let id = start; id <= last; id++) {
      if (((flags[id] as number) & mask) !== value) continue;
      if (column !== null) {
        const t = column[id] as number;
        if (!(t >= from && t < to)) continue;
        if (more.length > 0 && !this.inTimes(spec, id)) continue;
      }
      if (terms !== null && !this.search.holds(id, terms)) continue;
      fn(id);
    }
    for (const id of this.far.keys()) test(id);
  }

  /** The first `n` matching users in this order of timestamps and id (one pass over the users). */
  top(spec: FacetSpec, order: readonly NumericTerm[], n: number): number[] {
    return topIds((fn) => this.eachMatching(spec, fn), this.keysOf(order), n);
  }

  /**
   * The count, and the first `n` matching users when fewer than `below` match (else null). A count not kept
   * comes from the same pass as the first users, which stops ranking them once `below` have matched.
   */
  countAndTop(spec: FacetSpec, order: readonly NumericTerm[], n: number, below: number): { count: number; ids: number[] | null } {
    let ranked: number[] | null = null;
    const count = this.counts.get(spec, () => {
      let matched = 0;
      ranked = topIds((fn) => this.eachMatching(spec, (id) => (++matched < below ? fn(id) : undefined)), this.keysOf(order), n);
      return matched;
    });
    if (count >= below) return { count, ids: null };
    if (ranked !== null || count === 0) return { count, ids: ranked ?? [] };
    // A walk meets about n / (count / users) users before the page is full, unless the matches gather at the
    // far end of the order: it gives up at four times that, and rarer matches are ranked from a pass instead.
    const budget = (4 * n * this.loadedRows) / count;
    const walked = budget <= WALK_MAX ? this.walk(spec, order, n, budget) : null;
    return { count, ids: walked ?? this.top(spec, order, n) };
  }

  /** The first `n` matching users by walking the ordering from its start (orderWalk.ts); null when it does not apply. */
  private walk(spec: FacetSpec, order: readonly NumericTerm[], n: number, budget: number): number[] | null {
    if (this.order === null) return null;
    const terms = this.termsOf(spec);
    return walkTop({
      directSize: this.flags.length,
      farIds: () => this.far.keys(),
      passes: (id) => this.passes(spec, id, terms) === 1,
      value: (col, id) => this.time(id, col),
      order: this.order,
      keys: this.keysOf(order),
    }, order, n, budget);
  }

  private keysOf(order: readonly NumericTerm[]) {
    return order.map(({ column, descending }) => ({
      key: column === 'id' ? (id: number) => id : (id: number) => this.time(id, column),
      descending,
    }));
  }

  /** How many online users match. */
  countAmong(spec: FacetSpec, online: OnlineSnapshot): number {
    let n = 0;
    this.eachAmong(spec, online, () => n++);
    return n;
  }

  /** The online users that match. */
  among(spec: FacetSpec, online: OnlineSnapshot): number[] {
    const found: number[] = [];
    this.eachAmong(spec, online, (id) => found.push(id));
    return found;
  }

  private eachAmong(spec: FacetSpec, online: OnlineSnapshot, fn: (id: number) => void): void {
    const { ids, micros, size, cutoff } = online.numbers();
    for (let i = 0; i < size; i++) {
      const id = ids[i] as number;
      if ((micros[i] as number) >= cutoff && this.passes(spec, id) === 1) fn(id);
    }
  }

  private termsOf(spec: FacetSpec): SearchTerms | null {
    return spec.search.length === 0 ? null : this.search.terms(spec.search);
  }

  /** 1 when the user passes the test (its search terms prepared: termsOf; `listed`: SearchIndex.eachCandidate), else 0. */
  private passes(spec: FacetSpec, id: number, terms = this.termsOf(spec), listed = false): number {
    const f = this.flagsOf(id);
    return (f & spec.mask) === spec.value && id >= spec.idMin && id <= spec.idMax && this.groups.passes(id, spec.groups) && this.inTimes(spec, id)
      && (terms === null || this.search.holds(id, terms, listed)) ? 1 : 0;
  }

  /** A user's flags; 0 (not present) for an id never seen. */
  private flagsOf(id: number): number {
    return id >= 0 && id < this.flags.length ? (this.flags[id] as number) : (this.far.get(id) ?? 0);
  }

  /** Whether each of the spec's date ranges holds (a null timestamp is in none, as in SQL). */
  private inTimes(spec: FacetSpec, id: number): boolean {
    for (const r of spec.times) {
      const t = this.time(id, r.col);
      if (!(t >= r.from && t < r.to)) return false;
    }
    return true;
  }

  private time(id: number, col: number): number {
    return id >= 0 && id < this.flags.length ? ((this.times[col] as Float64Array)[id] as number) : (this.farTimes.get(id)?.[col] ?? NaN);
  }

  /** Records a user's flags and groups, keeping the kept counts exact; false for an id past 2^53. */
  set(row: UserFlags): boolean {
    const id = Number(row.id);
    const groups = row.g.map(Number);
    // Timestamps past 2^53 µs from 1970 (before 1685, after 2255) would not be exact as numbers.
    const times = [row.t0, row.t1, row.t2].map((t) => t ?? NaN);
    if (!Number.isSafeInteger(id) || !groups.every(Number.isSafeInteger) || times.some((t) => Math.abs(t) > Number.MAX_SAFE_INTEGER)) return false;
    this.counts.adjust(-1, (spec) => this.passes(spec, id));
    if (id < 0 || id >= DIRECT_LIMIT) {
      this.far.set(id, row.f);
      this.farTimes.set(id, times);
    } else {
      if (id >= this.flags.length) this.grow(Math.min(DIRECT_LIMIT, Math.max(id + 1, this.flags.length * 2)));
      this.flags[id] = row.f;
      times.forEach((t, col) => ((this.times[col] as Float64Array)[id] = t));
      this.order?.touch(id);
    }
    this.groups.setUser(id, groups);
    this.search.set(id, (row.f & PRESENT) === 0 ? '' : row.s);
    this.counts.adjust(1, (spec) => this.passes(spec, id));
    return true;
  }

  private grow(capacity: number): void {
    const flags = new Uint16Array(capacity);
    flags.set(this.flags);
    this.flags = flags;
    this.times = this.times.map((column) => {
      const grown = new Float64Array(capacity);
      grown.set(column);
      return grown;
    });
  }

  /** Records which groups exist; a change forgets the kept counts that name groups. False for an id past 2^53. */
  setGroups(rows: ReadonlyArray<{ id: string; deleted: boolean }>): boolean {
    for (const r of rows) {
      const id = Number(r.id);
      if (!Number.isSafeInteger(id)) return false;
      if (this.groups.setGroup(id, !r.deleted)) this.counts.forgetGroups();
    }
    return true;
  }
}

