// Answers kept while the in-memory index is known current (the change feed live, services/api/index/holder.ts
// currentNow), under the index's version: the same request asked again before any batch commits has the same
// count and rows, so it needs no work and no round trip. A committed batch moves the version and every kept
// answer stops matching. Two kinds are kept (answer.ts): pages (count and rows, good for any host and online
// set) and whole bodies, which show `is_online` of each row and so are also kept under the online set's
// version, and only until its first online user goes offline (time passes with no write to tell:
// OnlineSnapshot.keptUntil).

export class KeptAnswers<T> {
  private readonly kept = new Map<string, { version: string; value: T; until: number }>();
  private weight = 0;

  /**
   * `maxWeight` bounds what is held over every key (the oldest go first); `weigh` says what one answer
   * weighs, at least 1, so that keys alone cannot grow without bound.
   */
  constructor(private readonly maxWeight: number, private readonly weigh: (value: T) => number) {}

  /** The answer kept for `key` at this version, if any and not past its time. */
  get(key: string, version: string, now = Date.now()): T | undefined {
    const kept = this.kept.get(key);
    if (kept === undefined) return undefined;
    if (kept.version === version && now < kept.until) return kept.value;
    this.drop(key);
    return undefined;
  }

  /** Keeps `value` for `key` at this version, until `until` (epoch ms) at the latest. */
  set(key: string, version: string, value: T, until = Infinity): void {
    if (this.weigh(value) > this.maxWeight) return;
    this.drop(key);
    this.kept.set(key, { version, value, until });
    this.weight += this.weigh(value);
    for (const oldest of this.kept.keys()) {
      if (this.weight <= this.maxWeight) break;
      this.drop(oldest);
    }
  }

  get size(): number {
    return this.kept.size;
  }

  private drop(key: string): void {
    const kept = this.kept.get(key);
    if (kept === undefined) return;
    this.weight -= this.weigh(kept.value);
    this.kept.delete(key);
  }
}
