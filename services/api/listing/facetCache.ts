// The serving generation's in-memory flags (facets.ts) in an API process.
import { Knex } from 'knex';
import type { Gauge } from 'prom-client';
import { CoalescedRuns } from '../../../shared/coalesce';
import { Logger } from '../../../shared/logger';
import { UserFacets } from './facets';
import { loadFacets, refreshFacets } from './facetLoad';

/**
 * The serving generation's flags in this process, brought up to date on every use. Until they are loaded (at
 * the first use, after a replay's switch, or when the change log no longer reaches back) requests are counted
 * by PostgreSQL, as without them, while they load in the background (about 2 s per million users).
 */
export class FacetCache {
  private index: UserFacets | null = null;
  private loading: string | null = null;
  /** Schemas holding an id or timestamp past 2^53: counted by PostgreSQL. */
  private readonly unusable = new Set<string>();
  private readonly runs = new CoalescedRuns<string, UserFacets | null>((schema) => this.upToDate(schema));

  constructor(private readonly db: Knex, private readonly logger: Logger, private readonly held: Gauge, private readonly opts: { search: boolean; enabled: boolean }) {}

  /** The flags of the schema's users as of this call, or null while they load or when they cannot be held exactly. */
  current(schema: string): Promise<UserFacets | null> {
    return this.runs.run(schema);
  }

  private async upToDate(schema: string): Promise<UserFacets | null> {
    if (!this.opts.enabled || this.unusable.has(schema)) return null;
    const index = this.index;
    if (index?.schema === schema && (await refreshFacets(this.db, index))) {
      // Served meanwhile: a rebuild only makes searches and date filters faster (searchIndex.ts, timeOrder.ts).
      if (index.wantsRebuild) this.loadInBackground(schema);
      return index;
    }
    this.index = null;
    this.held.set(0);
    this.loadInBackground(schema);
    return null;
  }

  private loadInBackground(schema: string): void {
    if (this.loading === schema) return;
    this.loading = schema;
    const started = Date.now();
    loadFacets(this.db, schema, this.opts)
      .then((loaded) => {
        if (loaded === null) this.unusable.add(schema);
        else this.index = loaded;
        this.held.set(loaded?.loadedRows ?? 0);
        this.logger.info({ schema, ms: Date.now() - started, usable: loaded !== null }, 'in-memory flags loaded');
      })
      .catch((err: unknown) => this.logger.warn({ err, schema }, 'could not load the in-memory flags; counting in PostgreSQL meanwhile'))
      .finally(() => {
        this.loading = null;
      });
  }
}
