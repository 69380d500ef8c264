// Every user's values, one entry per slot (slots.ts), and the bitmaps that answer queries of them: the flags
// word (2 bytes) and its bits' bitmaps (flagBits.ts), the timestamps (24 bytes) and their days' bitmaps
// (dayBuckets.ts), the groups (groupMembers.ts) and the search text with its trigrams (searchIndex.ts). The load writes values only and builds the bitmaps at its end; after that,
// every write moves the user between bitmaps. What reads them: matcher.ts.
import { grown } from './growable';
import { Slots } from './slots';
import { FlagBits } from './flagBits';
import { DayBuckets } from './dayBuckets';
import { GroupMembers } from './groupMembers';
import { SearchIndex } from './searchIndex';
import { GroupKey, PRESENT, TIMESTAMPS } from './query';

/** UTF-8 bytes [from, from + length) of `bytes`: a text in the load's COPY buffer, read where it lies. */
export type TextBytes = { bytes: Uint8Array; from: number; length: number };

/**
 * A user as PostgreSQL gives it (load.ts): id (a number when exact as one), flags word, group ids, timestamps
 * (epoch µs), search text ('' when not held; bytes of the load's COPY).
 */
export type UserRow = { id: string | number; f: number; g: readonly GroupKey[] | null; t0: number | null; t1: number | null; t2: number | null; s: string | TextBytes };

const NO_GROUPS: readonly GroupKey[] = [];
/** Whether a timestamp (epoch µs, or null) is held exactly as a number. */
const exact = (t: number | null) => t === null || Math.abs(t) <= Number.MAX_SAFE_INTEGER;

export class UserColumns {
  readonly slots = new Slots();
  flags = new Uint16Array(1024);
  times: Float64Array[] = TIMESTAMPS.map(() => new Float64Array(1024));
  readonly bits = new FlagBits();
  readonly days = new DayBuckets();
  readonly groups = new GroupMembers();
  readonly search = new SearchIndex((slot, into, at) => this.slots.writeId(slot, into, at));
  /** From the end of the load on, every write moves the user between bitmaps. */
  private built = false;

  /**
   * Writes a user's values, returning its slot; null when a timestamp is not exact as a number (before 1685
   * or after 2255: past 2^53 µs from 1970), which the caller treats as a copy it cannot hold.
   */
  write(row: UserRow): number | null {
    const { t0, t1, t2 } = row;
    if (!exact(t0) || !exact(t1) || !exact(t2)) return null;
    const size = this.slots.size;
    const slot = this.slots.add(row.id);
    if (slot >= this.flags.length) this.grow(this.flags.length * 2);
    if (this.built) {
      // A new slot had no values: nothing to take out of the bitmaps.
      const isNew = slot === size;
      this.bits.set(slot, isNew ? 0 : (this.flags[slot] as number), row.f);
      [t0, t1, t2].forEach((t, col) => this.days.set(slot, col, isNew ? NaN : this.time(slot, col), t ?? NaN));
    }
    this.flags[slot] = row.f;
    (this.times[0] as Float64Array)[slot] = t0 ?? NaN;
    (this.times[1] as Float64Array)[slot] = t1 ?? NaN;
    (this.times[2] as Float64Array)[slot] = t2 ?? NaN;
    this.groups.setUser(slot, row.g ?? NO_GROUPS);
    const text = (row.f & PRESENT) === 0 ? '' : row.s;
    if (typeof text === 'string') this.search.set(slot, text);
    else this.search.setBytes(slot, text.bytes, text.from, text.length);
    return slot;
  }

  /** Room for this many users, made before a load: growing by doubling copies every array at once, holding the event loop. */
  reserve(users: number): void {
    if (users > this.flags.length) this.grow(users);
    this.slots.reserve(users);
    this.search.reserve(users);
    this.groups.reserve(users);
  }

  time(slot: number, col: number): number {
    return (this.times[col] as Float64Array)[slot] as number;
  }

  /**
   * Builds the bitmaps and orders of the users written so far: the end of a load (yields to the event loop as
   * it goes). `done` hears each part's name as it is built (bench:index times them).
   */
  async build(done: (part: string) => void = () => undefined): Promise<void> {
    const size = this.slots.size;
    const trigrams = this.search.prepare(size);
    try {
      await this.buildBitmaps(size, done);
    } catch (err) {
      trigrams?.cancel();
      throw err;
    }
    await this.search.build(size, trigrams);
    done('trigram bitmaps');
    this.built = true;
  }

  private async buildBitmaps(size: number, done: (part: string) => void): Promise<void> {
    await this.groups.load(size);
    await this.bits.load(this.flags, size);
    done('flag bitmaps');
    await this.days.load(this.times, size);
    done('day bitmaps');
  }

  /** Whether a load from scratch would serve faster or hold less (texts replaced, users out of id order). */
  get wantsRebuild(): boolean {
    return this.search.wantsRebuild || this.slots.wantsRebuild;
  }

  private grow(capacity: number): void {
    this.flags = grown(this.flags, capacity);
    this.times = this.times.map((column) => grown(column, capacity));
  }

  /** Bytes held by each part, roughly (bench:index prints them; their sum is `rollcall_api_in_memory_index_bytes`). */
  memory(): Record<string, number> {
    return {
      slots: this.slots.bytes, flags: this.flags.byteLength, timestamps: this.times.reduce((n, c) => n + c.byteLength, 0),
      'flag bitmaps': this.bits.bytes, 'day bitmaps': this.days.bytes, groups: this.groups.bytes, ...this.search.memory(),
    };
  }
}
