// The serving generation's index in an API process: the one object the listing code asks for it.
import { Knex } from 'knex';
import type { Gauge } from 'prom-client';
import { CoalescedRuns } from '../../../shared/coalesce';
import { Logger } from '../../../shared/logger';
import { UserIndex } from './userIndex';
import { LoadOptions, loadIndex, refreshIndex } from './load';

export type HolderOptions = LoadOptions & Readonly<{ enabled: boolean }>;
export type HolderGauges = Readonly<{ users: Gauge; bytes: Gauge; loaded: Gauge }>;

/**
 * The serving generation's index in this process, brought up to date on every use. Until it is loaded (at the
 * first use, after a replay's switch, or when the change log no longer reaches back) requests are answered by
 * PostgreSQL, as without it, while it loads in the background (about 2 s per million users).
 */
export class IndexHolder {
  private index: UserIndex | null = null;
  private loading: string | null = null;
  /** Schemas holding a timestamp the index cannot hold exactly (columns.ts): answered by PostgreSQL. */
  private readonly unusable = new Set<string>();
  private readonly runs = new CoalescedRuns<string, UserIndex | null>((schema) => this.upToDate(schema));

  constructor(private readonly db: Knex, private readonly logger: Logger, private readonly gauges: HolderGauges, private readonly opts: HolderOptions) {}

  /** The index of the schema's users as of this call, or null while it loads or when it cannot be held. */
  current(schema: string): Promise<UserIndex | null> {
    return this.runs.run(schema);
  }

  /** Starts loading the schema's index now (a process's start), rather than at its first use. */
  warm(schema: string): void {
    if (this.opts.enabled && this.index?.schema !== schema) this.loadInBackground(schema);
  }

  private async upToDate(schema: string): Promise<UserIndex | null> {
    if (!this.opts.enabled || this.unusable.has(schema)) return null;
    const index = this.index;
    if (index?.schema === schema && (await refreshIndex(this.db, index, this.opts.flags))) {
      // Served meanwhile: a rebuild only frees replaced texts and orders late ids (searchIndex.ts, slots.ts).
      if (index.wantsRebuild) this.loadInBackground(schema);
      this.measure(index);
      return index;
    }
    // Dropped rather than kept beside the one loading: one copy's memory per process, not two.
    this.index = null;
    this.measure(null);
    this.loadInBackground(schema);
    return null;
  }

  /** The gauges of what is held: users follow every refresh, not only the load (an API started on an empty directory). */
  private measure(index: UserIndex | null): void {
    this.gauges.loaded.set(index === null ? 0 : 1);
    this.gauges.users.set(index?.users ?? 0);
    this.gauges.bytes.set(index?.bytes ?? 0);
  }

  private loadInBackground(schema: string): void {
    if (this.loading === schema) return;
    this.loading = schema;
    const started = Date.now();
    loadIndex(this.db, schema, this.opts)
      .then((loaded) => {
        if (loaded === null) this.unusable.add(schema);
        this.index = loaded;
        this.measure(loaded);
        this.logger.info({ schema, ms: Date.now() - started, usable: loaded !== null, bytes: loaded?.bytes }, 'in-memory index loaded');
      })
      .catch((err: unknown) => this.logger.warn({ err, schema }, 'could not load the in-memory index; answering from PostgreSQL meanwhile'))
      .finally(() => {
        this.loading = null;
      });
  }
}
