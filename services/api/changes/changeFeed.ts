// An API process's ear on the projector: one PostgreSQL connection LISTENing on the channel the projector
// notifies in each committing transaction (projections/changeNotice.ts). While it is live, what this process
// holds (the index, authentications, pages) is current until a notice says otherwise, so a request needs no
// round trip to learn that nothing changed. Live means proven: a second connection sends beats through the same
// channel (heartbeat.ts) and the feed is live only while it hears them; silent for SILENT_MS, it is down, drops
// both connections and connects again. While it is not live, nothing can be trusted to be current and every
// holder asks PostgreSQL as it did before the feed existed.
import pg from 'pg';
import { Knex } from 'knex';
import type { Gauge } from 'prom-client';
import { Logger } from '../../../shared/logger';
import { CHANGES_CHANNEL, decodeNotice, HeardChange } from '../../../projections/changeNotice';
import { BEAT_MS, Heartbeat, isBeat, SILENT_MS } from './heartbeat';

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
  /** Sends the beats: another session, as the projector's notices come from another session. */
  private sender: pg.Client | null = null;
  private closed = false;
  private live = false;
  private watchdog: NodeJS.Timeout | null = null;
  private readonly heartbeat = new Heartbeat((payload) => this.sendBeat(payload));
  /** Bumped by every (re)connection, loss and generation switch: whatever was current before may not be. */
  private epochs = 0;
  /** Per schema, bumped by every batch notice for it. */
  private readonly batches = new Map<string, number>();
  private readonly subscribers = new Set<(e: HeardChange) => void>();
  private readonly beatWatchers = new Set<() => void>();

  constructor(private readonly connection: pg.ClientConfig, private readonly logger: Logger, private readonly liveGauge?: Gauge) {}

  /** A feed on the database `db` connects to (the primary: a standby cannot LISTEN); `live` says when it is. */
  static of(db: Knex, logger: Logger, live?: Gauge): ChangeFeed {
    return new ChangeFeed((db.client as { config: { connection: pg.ClientConfig } }).config.connection, logger, live);
  }

  start(): this {
    void this.connect();
    return this;
  }

  /** Live: listening, and one of its own beats sent less than SILENT_MS ago was heard. */
  get isLive(): boolean {
    return this.live && this.heartbeat.fresh;
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

  /** Calls `fn` at each of its own beats heard: proof, for whoever relays the feed, that it still hears. */
  onBeat(fn: () => void): void {
    this.beatWatchers.add(fn);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.live = false;
    this.liveGauge?.set(0);
    this.stopWatching();
    const clients = [this.client, this.sender];
    this.client = this.sender = null;
    await Promise.all(clients.map((c) => c?.end().catch(() => undefined)));
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const config = { ...this.connection, connectionTimeoutMillis: SILENT_MS };
    const client = new pg.Client(config);
    const sender = new pg.Client(config);
    this.client = client;
    this.sender = sender;
    this.heartbeat.reset();
    this.watch(client);
    client.on('notification', (m) => this.receive(m.payload ?? ''));
    for (const c of [client, sender]) {
      c.on('error', (err) => this.lost(client, err));
      c.on('end', () => this.lost(client, null));
    }
    try {
      await Promise.all([client.connect(), sender.connect()]);
      await client.query(`listen ${CHANGES_CHANNEL}`);
    } catch (err) {
      this.lost(client, err);
    }
  }

  /** Beats, and gives the connection up once no beat of its own was heard for SILENT_MS (from its start, too). */
  private watch(client: pg.Client): void {
    this.stopWatching();
    const started = Date.now();
    this.watchdog = setInterval(() => {
      if (this.client !== client) return;
      if (!this.heartbeat.fresh && Date.now() - started >= SILENT_MS) return this.lost(client, new Error(`no heartbeat heard for ${SILENT_MS} ms`));
      this.heartbeat.beat((err) => this.lost(client, err));
    }, BEAT_MS).unref();
  }

  private stopWatching(): void {
    if (this.watchdog !== null) clearInterval(this.watchdog);
    this.watchdog = null;
  }

  private async sendBeat(payload: string): Promise<void> {
    await this.sender?.query('select pg_notify($1, $2)', [CHANGES_CHANNEL, payload]);
  }

  private receive(payload: string): void {
    if (isBeat(payload)) return this.beatHeard(payload);
    const notice = decodeNotice(payload);
    if (notice === null) return void this.logger.warn({ payload: payload.slice(0, 200) }, 'ignoring a change notice this version cannot read');
    if (notice.kind === 'batch') this.batches.set(notice.schema, (this.batches.get(notice.schema) ?? 0) + 1);
    this.emit(notice);
  }

  private beatHeard(payload: string): void {
    if (!this.heartbeat.hear(payload)) return; // another machine's, or one sent before this connection
    if (!this.live) {
      this.live = true;
      this.liveGauge?.set(1);
      this.emit({ kind: 'resync' }); // notices before the first beat may have gone unheard: holders read again
    }
    for (const fn of this.beatWatchers) fn();
  }

  private lost(client: pg.Client, err: unknown): void {
    if (this.client !== client) return; // a client already given up, saying so again
    const wasLive = this.live;
    const sender = this.sender;
    this.client = this.sender = null;
    this.live = false;
    this.liveGauge?.set(0);
    this.stopWatching();
    this.emit({ kind: 'resync' }); // not live: whatever held may trust the feed asks PostgreSQL again
    for (const c of [client, sender]) if (c !== null) drop(c);
    if (this.closed) return;
    if (wasLive || err !== null) this.logger.warn({ err }, 'change feed lost; answering from PostgreSQL until it is back');
    setTimeout(() => void this.connect(), RETRY_MS).unref();
  }

  private emit(e: HeardChange): void {
    if (e.kind !== 'batch') this.epochs++;
    for (const fn of this.subscribers) fn(e);
  }
}

/**
 * Ends a connection given up. Its socket is destroyed too: on a silent connection (blackholed) a polite end
 * waits for ever, and a beat still being sent on it would keep the heartbeat from sending the next.
 */
function drop(client: pg.Client): void {
  client.removeAllListeners('end');
  client.end().catch(() => undefined); // already broken: its own error was logged by lost()
  (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
}
