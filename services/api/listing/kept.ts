// Answers kept while the in-memory index is known current (the change feed live, services/api/index/holder.ts
// currentNow), under the index's version: the same request asked again before any batch commits has the same
// count and rows, so it needs no work and no round trip. A committed batch moves the version and every kept
// answer stops matching. Two kinds are kept (answer.ts): pages (count and rows, good for any host and online
// set) and whole bodies, which show `is_online` of each row and so are also kept under the online set's
// version, and only until its first online user goes offline (time passes with no write to tell:
// OnlineSnapshot.keptUntil). What is held is weighed with its key (a 30 KB query string on an empty answer weighs
// 60 KB, not nothing), least recently used out first (lru-cache).
import { LRUCache } from 'lru-cache';

/** What a key weighs beside its answer: its UTF-16 characters and a kept entry's own bookkeeping. */
const keyWeight = (key: string) => 2 * key.length + 100;

type Kept<T> = { version: string; value: T; until: number };

export class KeptAnswers<T> {
  private readonly kept: LRUCache<string, Kept<T>>;

  /**
   * `maxWeight` bounds what is held over every key, keys included (the least recently used go first);
   * `weigh` says what one answer weighs, in the same unit as keyWeight (bytes).
   */
  constructor(maxWeight: number, private readonly weigh: (value: T) => number) {
    this.kept = new LRUCache<string, Kept<T>>({ maxSize: maxWeight, sizeCalculation: (k, key) => this.weigh(k.value) + keyWeight(key) });
  }

  /** The answer kept for `key` at this version, if any and not past its time. */
  get(key: string, version: string, now = Date.now()): T | undefined {
    const kept = this.kept.get(key);
    if (kept === undefined) return undefined;
    if (kept.version === version && now < kept.until) return kept.value;
    this.kept.delete(key);
    return undefined;
  }

  /** Keeps `value` for `key` at this version, until `until` (epoch ms) at the latest; one heavier than the bound is not kept. */
  set(key: string, version: string, value: T, until = Infinity): void {
    // lru-cache refuses an entry heavier than maxSize by itself (and drops the key's older answer).
    this.kept.set(key, { version, value, until });
  }

  get size(): number {
    return this.kept.size;
  }

  /** What is held, keys included. */
  get weight(): number {
    return this.kept.calculatedSize;
  }
}
