import { Db } from '../../shared/db';
import { activeGeneration } from '../../projections/generations';

/** What the cache reads of the change feed (changes/changeFeed.ts): a replay's switch bumps the epoch. */
export type GenerationFeed = Readonly<{ isLive: boolean; epoch: number }>;

/**
 * The serving generation's schema, re-read at most once per ttl so a replay's switch shows within it. Given the
 * change feed of the same database, it is not re-read while the feed is live: a switch is notified in its own
 * transaction (projections/generations.ts) and moves the feed's epoch, so a request asks PostgreSQL nothing. Not
 * for a replica: the primary's notice can arrive before the replica has replayed the switch.
 */
export class GenerationCache {
  private cached: { schema: string; at: number; epoch: number | null } | null = null;

  constructor(private readonly db: Db, private readonly ttlMs = 1_000, private readonly feed: GenerationFeed | null = null) {}

  async schema(): Promise<string> {
    const now = Date.now();
    if (this.cached === null || !this.stillServing(this.cached, now)) {
      // The epoch read before the query: a switch heard while it runs leaves what it read stale at once.
      const epoch = this.feed?.isLive === true ? this.feed.epoch : null;
      this.cached = { schema: (await activeGeneration(this.db)).schema, at: now, epoch };
    }
    return this.cached.schema;
  }

  /** Reads the serving generation now, whatever the cache holds. */
  async refresh(): Promise<string> {
    this.cached = null;
    return this.schema();
  }

  private stillServing(cached: NonNullable<GenerationCache['cached']>, now: number): boolean {
    if (cached.epoch !== null && this.feed?.isLive === true && this.feed.epoch === cached.epoch) return true;
    return now - cached.at <= this.ttlMs;
  }
}
