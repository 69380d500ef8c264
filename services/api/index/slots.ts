// Users' ids (any 64-bit integer) → dense slots 0..n-1, so every array of the index is as long as the
// directory, whatever its ids look like. The load reads users in id order, so its slots are in id order too
// (an id range is a slot range, found by binary search); a user first seen later joins the end, still in
// order when its id is the greatest yet (ids that grow), else listed as `unsorted` and tested one by one.
// Lookups: ids packed closely (the usual sequence) go through one Int32Array by id − base, 4 bytes per id
// of the span; sparse or huge ids through a Map.

import { grown } from './growable';

/** The direct table is used while its span is at most this many times the users, plus a fixed slack. */
const SPAN_PER_USER = 4;
const SPAN_SLACK = 1 << 16;

export class Slots {
  /** Each slot's id as a number: exact below 2^53, above it rounded, which keeps the order (ties: `exact`). */
  private approx = new Float64Array(1024);
  /** The exact id of slots whose id is past 2^53. */
  private readonly exact = new Map<number, bigint>();
  private count = 0;
  /** Slots [0, sorted) are in ascending id order. */
  private sorted = 0;
  private readonly later: number[] = [];
  private base = 0;
  private direct = new Int32Array(0);
  private readonly mapped = new Map<number | string, number>();
  /** Until seal(): ids arrive in ascending order (the load's ORDER BY id) and are not looked up. */
  private loading = true;

  get size(): number {
    return this.count;
  }

  /** The slots in ascending id order, [0, sortedEnd); then `unsorted`. */
  get sortedEnd(): number {
    return this.sorted;
  }

  get unsorted(): readonly number[] {
    return this.later;
  }

  /** Whether enough users came out of order that a load from scratch would order them again. */
  get wantsRebuild(): boolean {
    return this.later.length > 20_000;
  }

  /** The slot of an id (decimal text, as PostgreSQL and Redis give it), or undefined. */
  slotOf(id: string): number | undefined {
    const n = Number(id);
    return Number.isSafeInteger(n) ? this.slotOfNumber(n) : this.mapped.get(BigInt(id).toString());
  }

  /** The slot of an id exact as a number. */
  slotOfNumber(n: number): number | undefined {
    const i = n - this.base;
    if (i >= 0 && i < this.direct.length) {
      const s = this.direct[i] as number;
      return s === 0 ? undefined : s - 1;
    }
    return this.mapped.get(n);
  }

  /** The slot of an id (a number when exact as one), given one if it has none: at the end, in order when the id is the greatest yet. */
  add(id: string | number): number {
    const known = this.loading ? undefined : typeof id === 'number' ? this.slotOfNumber(id) : this.slotOf(id);
    if (known !== undefined) return known;
    const slot = this.count++;
    if (slot === this.approx.length) this.grow(slot * 2);
    const big = typeof id === 'number' ? null : BigInt(id);
    const n = big === null ? (id as number) : Number(big);
    this.approx[slot] = n;
    if (!Number.isSafeInteger(n)) this.exact.set(slot, big as bigint);
    if (this.sorted === slot && (slot === 0 || this.compare(slot - 1, slot) < 0)) this.sorted++;
    else if (this.loading) throw new Error(`the index's load read id ${id} out of order`);
    else this.later.push(slot);
    if (!this.loading) this.remember(Number.isSafeInteger(n) ? n : (big as bigint).toString(), slot);
    return slot;
  }

  private remember(key: number | string, slot: number): void {
    const i = typeof key === 'number' ? key - this.base : -1;
    if (i >= 0 && i < this.direct.length) this.direct[i] = slot + 1;
    else this.mapped.set(key, slot);
  }

  /**
   * After a load: the ids read go into the direct table when they are packed closely, else into the map (a
   * turn of the event loop every 100,000); lookups work from here on.
   */
  async seal(): Promise<void> {
    const size = this.count;
    const low = this.approx[0] as number;
    const span = size === 0 ? 0 : (this.approx[size - 1] as number) - low + 1;
    if (size > 0 && this.exact.size === 0 && span <= SPAN_PER_USER * size + SPAN_SLACK) {
      this.base = low;
      this.direct = new Int32Array(span + SPAN_SLACK);
    }
    for (let slot = 0; slot < size; slot++) {
      const n = this.approx[slot] as number;
      this.remember(Number.isSafeInteger(n) ? n : (this.exact.get(slot) as bigint).toString(), slot);
      if (slot % 100_000 === 99_999) await new Promise(setImmediate);
    }
    this.loading = false;
  }

  /** The id of a slot, as decimal text. */
  idOf(slot: number): string {
    return (this.exact.get(slot) ?? this.approx[slot] as number).toString();
  }

  /** The slot's id as a number, for ordering (ties past 2^53: compare). */
  key(slot: number): number {
    return this.approx[slot] as number;
  }

  /** The order of two slots' ids, exactly. */
  compare(a: number, b: number): number {
    const [x, y] = [this.approx[a] as number, this.approx[b] as number];
    if (x !== y) return x < y ? -1 : 1;
    const [bx, by] = [this.exact.get(a), this.exact.get(b)];
    return bx === undefined || by === undefined || bx === by ? 0 : bx < by ? -1 : 1;
  }

  /** Whether the slot's id is within [min, max] (null: open), exactly. */
  inRange(slot: number, min: bigint | null, max: bigint | null): boolean {
    const id = this.exact.get(slot) ?? BigInt(this.approx[slot] as number);
    return (min === null || id >= min) && (max === null || id <= max);
  }

  /** The sorted slots whose ids are within [min, max]: [from, to). */
  sortedRange(min: bigint | null, max: bigint | null): { from: number; to: number } {
    const from = min === null ? 0 : this.firstSorted((s) => !this.inRange(s, min, null));
    const to = max === null ? this.sorted : this.firstSorted((s) => this.inRange(s, null, max));
    return { from, to: Math.max(from, to) };
  }

  /** The first sorted slot for which `before` is false (it is true of a prefix of them). */
  private firstSorted(before: (slot: number) => boolean): number {
    let [lo, hi] = [0, this.sorted];
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (before(mid)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  reserve(users: number): void {
    if (users > this.approx.length) this.grow(users);
  }

  private grow(capacity: number): void {
    this.approx = grown(this.approx, capacity);
  }

  /** Bytes held, roughly. */
  get bytes(): number {
    return this.approx.byteLength + this.direct.byteLength + (this.mapped.size + this.exact.size) * 48 + this.later.length * 8;
  }
}
