// The serving generation's index in an API process: the one object the listing code asks for it.
import { Knex } from 'knex';
import type { Gauge } from 'prom-client';
import type { HeardChange } from '../../../projections/changeNotice';
import { CoalescedRuns } from '../../../shared/coalesce';
import { Logger } from '../../../shared/logger';
import { UserIndex } from './userIndex';
import { LoadOptions, loadIndex, refreshIndex } from './load';
import { CommittedCheckpoints, PushedChanges, PushedFeed } from './pushedChanges';

export type HolderOptions = LoadOptions & Readonly<{ enabled: boolean }>;
/** What is held, and when and how fast the last load ended (ops: a load that slows down as the directory grows). */
/** While the feed is live and the index still behind what it named (a replica yet to replay it), it is refreshed this often. */
const CATCH_UP_MS = 100;
export type HolderGauges = Readonly<{ users: Gauge; bytes: Gauge; loaded: Gauge; loadSeconds?: Gauge; loadedAt?: Gauge }>;

/**
 * The serving generation's index in this process. With a live change feed it is brought up to date when a
 * notice says a batch committed, and a request reads it with no round trip; without one (none given, or its
 * connection lost), on every use, from the change log. Until it is loaded (at the first use, after a replay's
 * switch, or when the change log no longer reaches back) requests are answered by PostgreSQL, as without it,
 * while it loads in the background (about 3 s per million users).
 */
export class IndexHolder {
  private index: UserIndex | null = null;
  /**
   * The schema whose load runs, and the one asked for meanwhile (the last asked): one load at a time, so at most
   * one copy is being built beside what is held. A load that ended cleared one mark shared by every schema while
   * another schema's load still ran, and a third could start (issue 27).
   */
  private loading: string | null = null;
  private queued: string | null = null;
  /** Schemas holding a timestamp the index cannot hold exactly (columns.ts): answered by PostgreSQL. */
  private readonly unusable = new Set<string>();
  private readonly runs = new CoalescedRuns<string, UserIndex | null>((schema) => this.upToDate(schema).finally(() => {
    this.changed();
    this.catchUpLater();
  }));
  private catchingUp: NodeJS.Timeout | null = null;
  private readonly pushed: PushedChanges | null;
  /** Bumped whenever what the held index answers may change: a load, a refresh that applied something. */
  private changes = 0;
  private readonly watchers = new Set<() => void>();

  /** `committed`: the checkpoints of the database whose feed is heard, when that is not `db` (pushedChanges.ts). */
  constructor(private readonly db: Knex, private readonly logger: Logger, private readonly gauges: HolderGauges, private readonly opts: HolderOptions, feed: PushedFeed | null = null, committed: CommittedCheckpoints | null = null) {
    this.pushed = feed === null ? null : new PushedChanges(feed, committed, (err) => this.learnt(err));
    feed?.subscribe((e) => this.hear(e));
  }

  /** The index of the schema's users as of this call, or null while it loads or when it cannot be held. */
  current(schema: string): Promise<UserIndex | null> {
    const now = this.currentNow(schema);
    return now === null ? this.runs.run(schema) : Promise.resolve(now.index);
  }

  /**
   * The index when it is known current with no round trip (the change feed is live and has named nothing it
   * lacks), with a number that changes whenever its answers may: what a kept page is checked against.
   */
  currentNow(schema: string): { index: UserIndex; version: number } | null {
    const index = this.index;
    if (this.pushed === null || index?.schema !== schema || !this.pushed.isCurrent(schema, index.position)) return null;
    return { index, version: this.changes };
  }

  /** The held index's schema and version while it is current with no round trip (currentNow), else null. */
  state(): { schema: string; version: number } | null {
    const schema = this.index?.schema;
    const now = schema === undefined ? null : this.currentNow(schema);
    return schema === undefined || now === null ? null : { schema, version: now.version };
  }

  /** Calls `fn` whenever state() may have changed: a notice heard, a refresh or a load done. */
  watch(fn: () => void): void {
    this.watchers.add(fn);
  }

  private changed(): void {
    for (const fn of this.watchers) fn();
  }

  /** A notice: refresh now, so that freshness does not wait for a request. */
  private hear(e: HeardChange): void {
    if (this.pushed === null) return;
    if (e.kind !== 'generation') this.refreshIfBehind(e);
    this.changed();
  }

  private refreshIfBehind(e: Exclude<HeardChange, { kind: 'generation' }>): void {
    const index = this.index;
    // Noted even while nothing is held: a load that started before this commit must not pass for current.
    const behind = e.kind === 'resync' || (this.pushed as PushedChanges).noteBatch(e.schema, e.topic, e.partition, e.nextOffset, index?.schema === e.schema ? index.position : null);
    if (index !== null && behind && (e.kind === 'resync' || index.schema === e.schema)) this.refresh(index.schema);
  }

  private refresh(schema: string): void {
    this.runs.run(schema).catch((err: unknown) => this.logger.warn({ err }, 'could not refresh the in-memory index'));
  }

  /** What the feed's database had committed is known now (or could not be read): catch up to it at once. */
  private learnt(err?: unknown): void {
    if (err !== undefined) this.logger.warn({ err }, "could not read the primary's checkpoints; the index is refreshed on every use meanwhile");
    if (this.index !== null) this.refresh(this.index.schema);
  }

  /**
   * With the feed live, nothing but a notice would refresh the index; on a replica it may still be behind what a
   * notice named when its refresh ends (not replayed yet), and at quiescence no notice follows. Refreshed again,
   * at most every CATCH_UP_MS, until current.
   */
  private catchUpLater(): void {
    const schema = this.index?.schema;
    if (this.catchingUp !== null || schema === undefined || this.pushed?.isLive !== true || this.currentNow(schema) !== null) return;
    this.catchingUp = setTimeout(() => {
      this.catchingUp = null;
      if (this.index?.schema === schema) this.refresh(schema);
    }, CATCH_UP_MS).unref();
  }

  /** Starts loading the schema's index now (a process's start), rather than at its first use. */
  warm(schema: string): void {
    if (this.opts.enabled && this.index?.schema !== schema) this.loadInBackground(schema);
  }

  private async upToDate(schema: string): Promise<UserIndex | null> {
    if (!this.opts.enabled || this.unusable.has(schema)) return null;
    const index = this.index;
    const pulled = this.pushed?.pullStarts();
    const before = index?.position;
    if (index?.schema === schema && (await refreshIndex(this.db, index, this.opts.flags))) {
      if (index.position !== before) this.changes++;
      pulled?.();
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
    if (this.loading !== null) {
      this.queued = this.loading === schema ? null : schema;
      return;
    }
    this.loading = schema;
    const started = Date.now();
    const pulled = this.pushed?.pullStarts();
    loadIndex(this.db, schema, this.opts)
      .then((loaded) => {
        if (loaded === null) this.unusable.add(schema);
        // Another schema was asked for meanwhile (a replay switched): this one is not kept beside its load.
        if (this.queued === null) this.hold(schema, loaded, started, pulled);
        else this.logger.info({ schema, ms: Date.now() - started, wanted: this.queued }, 'in-memory index loaded, not kept: another schema is asked for');
      })
      .catch((err: unknown) => this.logger.warn({ err, schema }, 'could not load the in-memory index; answering from PostgreSQL meanwhile'))
      .finally(() => {
        this.loading = null;
        const next = this.queued;
        this.queued = null;
        if (next !== null) this.loadInBackground(next);
      });
  }

  private hold(schema: string, loaded: UserIndex | null, started: number, pulled: (() => void) | undefined): void {
    this.index = loaded;
    this.changes++;
    pulled?.();
    this.changed();
    this.catchUpLater();
    this.measure(loaded);
    if (loaded !== null) {
      this.gauges.loadSeconds?.set((Date.now() - started) / 1000);
      this.gauges.loadedAt?.set(Date.now() / 1000);
    }
    this.logger.info({ schema, ms: Date.now() - started, usable: loaded !== null, bytes: loaded?.bytes }, 'in-memory index loaded');
  }
}
