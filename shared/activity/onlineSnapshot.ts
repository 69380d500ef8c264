// The latest activity of each user in this process's memory, laid out for the questions a request asks of
// 100,000 online users at once: is this id online, and which ids are (as numbers, without a parse or an
// allocation per id). The Redis mirror (onlineMirror.ts) and the in-process store of `rollcall all` both keep one.

let tables = 0;

export class ActivityTable {
  /**
   * Names this table and counts the writes that made someone online who was not: equal versions, and no user
   * past the window since (OnlineSnapshot.keptUntil), mean equal answers.
   */
  private readonly id = ++tables;
  private writes = 0;
  private readonly slots = new Map<string, number>();
  private keys: string[] = [];
  private ids = new Float64Array(1024);
  private micros = new Float64Array(1024);
  private size = 0;

  /** `windowMicros`: how long an activity keeps its user online (ONLINE_WINDOW_SECONDS). */
  constructor(private readonly windowMicros: number) {}

  /** Keeps the later of what is held and `at` (epoch microseconds). */
  record(userId: string, at: number): void {
    const slot = this.slots.get(userId);
    if (slot !== undefined) {
      const was = this.micros[slot] as number;
      if (was >= at) return;
      this.micros[slot] = at;
      // A later activity of a user online already changes no answer now, only when it goes offline.
      if (was < Date.now() * 1000 - this.windowMicros) this.writes++;
      return;
    }
    this.writes++;
    if (this.size === this.ids.length) this.grow(this.size * 2);
    this.slots.set(userId, this.size);
    this.keys[this.size] = userId;
    this.ids[this.size] = Number(userId);
    this.micros[this.size] = at;
    this.size++;
  }

  get version(): string {
    return `${this.id}.${this.writes}`;
  }

  /** The earliest activity at or after `cutoff` (the first online user to go offline), or Infinity. */
  earliestSince(cutoff: number): number {
    let earliest = Infinity;
    for (let i = 0; i < this.size; i++) {
      const m = this.micros[i] as number;
      if (m >= cutoff && m < earliest) earliest = m;
    }
    return earliest;
  }

  latest(userId: string): number | undefined {
    const slot = this.slots.get(userId);
    return slot === undefined ? undefined : this.micros[slot];
  }

  /** Drops the users whose latest activity is before `cutoff` (they are offline for good). */
  prune(cutoff: number): void {
    let kept = 0;
    for (let i = 0; i < this.size; i++) {
      const key = this.keys[i] as string;
      if ((this.micros[i] as number) < cutoff) {
        this.slots.delete(key);
        continue;
      }
      this.keys[kept] = key;
      this.ids[kept] = this.ids[i] as number;
      this.micros[kept] = this.micros[i] as number;
      this.slots.set(key, kept++);
    }
    this.keys.length = kept;
    this.size = kept;
  }

  /** Who is online at `cutoff`: a view of this table, not a copy. */
  at(cutoff: number): OnlineSnapshot {
    return new OnlineSnapshot(this, cutoff);
  }

  forEachSince(cutoff: number, fn: (id: number, key: string) => void): void {
    for (let i = 0; i < this.size; i++) if ((this.micros[i] as number) >= cutoff) fn(this.ids[i] as number, this.keys[i] as string);
  }

  private grow(capacity: number): void {
    const ids = new Float64Array(capacity);
    const micros = new Float64Array(capacity);
    ids.set(this.ids);
    micros.set(this.micros);
    this.ids = ids;
    this.micros = micros;
  }
}

/** Who was online at one cutoff: what a request reads for its filter, count and objects. */
export class OnlineSnapshot {
  private text: string | null = null;

  private until: number | null = null;
  private readonly takenAt = Date.now();

  constructor(private readonly table: ActivityTable, private readonly cutoff: number) {}

  /** The table's version (ActivityTable.version): what an answer that read this snapshot is kept under. */
  get version(): string {
    return this.table.version;
  }

  /**
   * Until when (epoch ms) this snapshot's answers hold at this version: when its first online user goes
   * offline (a pass over the table, once per snapshot: made when an answer is kept, not per request).
   */
  keptUntil(): number {
    this.until ??= this.takenAt + (this.table.earliestSince(this.cutoff) - this.cutoff) / 1000;
    return this.until;
  }

  has(userId: string): boolean {
    return (this.table.latest(userId) ?? -Infinity) >= this.cutoff;
  }

  /** Each online user: its id as a number (exact below 2^53) and as text (always exact). */
  forEachOnline(fn: (id: number, key: string) => void): void {
    this.table.forEachSince(this.cutoff, fn);
  }

  /** The ids as one PostgreSQL array literal: joining them costs a fraction of pg's own array serialisation. */
  literal(): string {
    if (this.text === null) {
      const keys: string[] = [];
      this.table.forEachSince(this.cutoff, (_, key) => keys.push(key));
      this.text = `{${keys.join(',')}}`;
    }
    return this.text;
  }
}
