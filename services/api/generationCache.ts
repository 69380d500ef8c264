import { Db } from '../../shared/db';
import { activeGeneration } from '../../projections/generations';

/** The serving generation's schema, re-read at most once per ttl so a replay's switch shows within it. */
export class GenerationCache {
  private cached: { schema: string; at: number } | null = null;

  constructor(private readonly db: Db, private readonly ttlMs = 1_000) {}

  async schema(): Promise<string> {
    const now = Date.now();
    if (this.cached === null || now - this.cached.at > this.ttlMs) {
      this.cached = { schema: (await activeGeneration(this.db)).schema, at: now };
    }
    return this.cached.schema;
  }

  /** Reads the serving generation now, whatever the cache holds. */
  async refresh(): Promise<string> {
    this.cached = null;
    return this.schema();
  }
}
