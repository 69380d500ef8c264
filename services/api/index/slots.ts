// Users' ids (any 64-bit integer) → dense slots 0..n-1, so every array of the index is as long as the
// directory, whatever its ids look like. The load reads users in id order, so its slots are in id order too
// (an id range is a slot range, found by binary search); a user first seen later joins the end, still in
// order when its id is the greatest yet (ids that grow), else listed as `unsorted` and tested one by one.
// Lookups: a sorted slot is found by searching the ids (interpolation first: ids are usually spread evenly,
// so two or three probes), an unsorted one through a Map. No table by id: nothing grows with the ids' span.

import { IdColumn } from './idColumn';

/** Probes guessed from the ids' spread before the search falls back to halving. */
const GUESSES = 4;

export class Slots {
  /** Each slot's id as a number: exact below 2^53, above it rounded, which keeps the order (ties: `exact`). */
  private readonly approx = new IdColumn();
  /** The exact id of slots whose id is past 2^53. */
  private readonly exact = new Map<number, bigint>();
  private count = 0;
  /** Slots [0, sorted) are in ascending id order. */
  private sorted = 0;
  private readonly later: number[] = [];
  /** The unsorted slots by id (a number when exact as one, else decimal text). */
  private readonly mapped = new Map<number | string, number>();

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
    if (Number.isSafeInteger(n)) return this.slotOfNumber(n);
    const big = BigInt(id);
    // Ids past 2^53 share a rounded key with their neighbours: the exact one among them.
    for (let slot = this.firstAtLeast(Number(big)); slot < this.sorted && this.approx.get(slot) === Number(big); slot++) {
      if (this.exact.get(slot) === big) return slot;
    }
    return this.mapped.get(big.toString());
  }

  /** The slot of an id exact as a number. */
  slotOfNumber(n: number): number | undefined {
    const slot = this.firstAtLeast(n);
    return slot < this.sorted && this.approx.get(slot) === n ? slot : this.mapped.get(n);
  }

  /** The first sorted slot whose id's key is at least n (`sorted` if none). */
  private firstAtLeast(n: number): number {
    let [lo, hi] = [0, this.sorted];
    for (let guess = 0; lo < hi; guess++) {
      const [low, high] = [this.approx.get(lo), this.approx.get(hi - 1)];
      if (n <= low) return lo;
      if (n > high) return hi;
      // Between the ends: a guess from where n lies between them, then halving if the ids are uneven.
      const mid = guess < GUESSES ? lo + Math.min(hi - 1 - lo, Math.floor(((n - low) / (high - low)) * (hi - 1 - lo))) : (lo + hi) >>> 1;
      if (this.approx.get(mid) < n) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The slot of an id (a number when exact as one), given one if it has none: at the end, in order when the id is the greatest yet. */
  add(id: string | number): number {
    const known = typeof id === 'number' ? this.slotOfNumber(id) : this.slotOf(id);
    if (known !== undefined) return known;
    const slot = this.count++;
    if (slot === this.approx.length) this.approx.grow(slot * 2);
    const big = typeof id === 'number' ? null : BigInt(id);
    const n = big === null ? (id as number) : Number(big);
    this.approx.set(slot, n);
    if (!Number.isSafeInteger(n)) this.exact.set(slot, big as bigint);
    if (this.sorted === slot && (slot === 0 || this.compare(slot - 1, slot) < 0)) this.sorted++;
    else {
      this.later.push(slot);
      this.mapped.set(Number.isSafeInteger(n) ? n : (big as bigint).toString(), slot);
    }
    return slot;
  }

  /** The id of a slot, as decimal text. */
  idOf(slot: number): string {
    return (this.exact.get(slot) ?? this.approx.get(slot)).toString();
  }

  /**
   * Writes the id's decimal text into `into` at `at` (ASCII, 20 bytes at most), returning its length: the search's id
   * field (searchIndex.ts), written for every user at a load, with no string made for a safe one.
   */
  writeId(slot: number, into: Buffer, at = 0): number {
    const big = this.exact.get(slot);
    if (big !== undefined) return into.write(big.toString(), at, 'latin1');
    let n = this.approx.get(slot);
    let end = at;
    if (n < 0) into[end++] = 45;
    n = Math.abs(n);
    const first = end;
    do {
      into[end++] = 48 + (n % 10);
      n = Math.floor(n / 10);
    } while (n > 0);
    for (let i = first, j = end - 1; i < j; i++, j--) {
      const digit = into[i] as number;
      into[i] = into[j] as number;
      into[j] = digit;
    }
    return end - at;
  }

  /** The slot's id as a number, for ordering (ties past 2^53: compare). */
  key(slot: number): number {
    return this.approx.get(slot);
  }

  /** The order of two slots' ids, exactly. */
  compare(a: number, b: number): number {
    const [x, y] = [this.approx.get(a), this.approx.get(b)];
    if (x !== y) return x < y ? -1 : 1;
    const [bx, by] = [this.exact.get(a), this.exact.get(b)];
    return bx === undefined || by === undefined || bx === by ? 0 : bx < by ? -1 : 1;
  }

  /** Whether the slot's id is within [min, max] (null: open), exactly. */
  inRange(slot: number, min: bigint | null, max: bigint | null): boolean {
    const id = this.exact.get(slot) ?? BigInt(this.approx.get(slot));
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
    this.approx.grow(users);
  }

  /** Bytes held, roughly. */
  get bytes(): number {
    return this.approx.bytes + (this.mapped.size + this.exact.size) * 48 + this.later.length * 8;
  }
}
