// An API process's ear on the projector: one PostgreSQL connection LISTENing on the channel the projector
// notifies in each committing transaction (projections/changeNotice.ts). While it is live, what this process
// holds (the index, authentications, pages) is current until a notice says otherwise, so a request needs no
// round trip to learn that nothing changed. While it is not (connecting, or the connection dropped), nothing
// can be trusted to be current and every holder asks PostgreSQL as it did before the feed existed.
import pg from 'pg';
import { Knex } from 'knex';
import type { Gauge } from 'prom-client';
import { Logger } from '../../../shared/logger';
import { CHANGES_CHANNEL, decodeNotice, HeardChange } from '../../../projections/changeNotice';

const RETRY_MS = 1_000;

/** What an API process reads of the projector's notices: heard here, or passed on by another process (cluster/). */
export interface Changes {
  /** Whether notices arrive now: while not, nothing held may be trusted to be current. */
  readonly isLive: boolean;
  /** Changes at every (re)connection, loss and generation switch: notices may have gone unheard. */
  readonly epoch: number;
  /** Changes whenever something in `schema` may have changed (the epoch, or a batch committed there). */
  versionOf(schema: string): string;
  subscribe(fn: (e: HeardChange) => void): () => void;
}

export class ChangeFeed implements Changes {
  private client: pg.Client | null = null;
  private closed = false;
  private live = false;
  /** Bumped by every (re)connection, loss and generation switch: whatever was current before may not be. */
  private epochs = 0;
  /** Per schema, bumped by every batch notice for it. */
  private readonly batches = new Map<string, number>();
  private readonly subscribers = new Set<(e: HeardChange) => void>();

  constructor(private readonly connection: pg.ClientConfig, private readonly logger: Logger, private readonly liveGauge?: Gauge) {}

  /** A feed on the database `db` connects to (the primary: a standby cannot LISTEN); `live` says when it is. */
  static of(db: Knex, logger: Logger, live?: Gauge): ChangeFeed {
    return new ChangeFeed((db.client as { config: { connection: pg.ClientConfig } }).config.connection, logger, live);
  }

  start(): this {
    void this.connect();
    return this;
  }

  get isLive(): boolean {
    return this.live;
  }

  get epoch(): number {
    return this.epochs;
  }

  /** A value read twice while the feed stayed live means nothing was committed in `schema` between the reads. */
  versionOf(schema: string): string {
    return `${this.epochs}.${this.batches.get(schema) ?? 0}`;
  }

  /** Every schema's version that differs from its epoch's start (what another process needs to agree with versionOf). */
  versions(): Array<[string, string]> {
    return [...this.batches.keys()].map((schema) => [schema, this.versionOf(schema)]);
  }

  subscribe(fn: (e: HeardChange) => void): () => void {
    this.subscribers.add(fn);
    return () => this.subscribers.delete(fn);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.live = false;
    this.liveGauge?.set(0);
    const client = this.client;
    this.client = null;
    await client?.end();
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client(this.connection);
    this.client = client;
    client.on('notification', (m) => this.receive(m.payload ?? ''));
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, null));
    try {
      await client.connect();
      await client.query(`listen ${CHANGES_CHANNEL}`);
    } catch (err) {
      this.lost(client, err);
      return;
    }
    if (this.closed || this.client !== client) return void client.end();
    this.live = true;
    this.liveGauge?.set(1);
    this.emit({ kind: 'resync' });
  }

  private receive(payload: string): void {
    const notice = decodeNotice(payload);
    if (notice === null) return void this.logger.warn({ payload: payload.slice(0, 200) }, 'ignoring a change notice this version cannot read');
    if (notice.kind === 'batch') this.batches.set(notice.schema, (this.batches.get(notice.schema) ?? 0) + 1);
    this.emit(notice);
  }

  private lost(client: pg.Client, err: unknown): void {
    if (this.client !== client) return; // a client already given up, saying so again
    const wasLive = this.live;
    this.client = null;
    this.live = false;
    this.liveGauge?.set(0);
    this.emit({ kind: 'resync' }); // not live: whatever held may trust the feed asks PostgreSQL again
    client.removeAllListeners('end');
    client.end().catch(() => undefined); // already broken: its own error was logged below
    if (this.closed) return;
    if (wasLive || err !== null) this.logger.warn({ err }, 'change feed lost; answering from PostgreSQL until it is back');
    setTimeout(() => void this.connect(), RETRY_MS).unref();
  }

  private emit(e: HeardChange): void {
    if (e.kind !== 'batch') this.epochs++;
    for (const fn of this.subscribers) fn(e);
  }
}
