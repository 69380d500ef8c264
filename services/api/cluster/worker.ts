// An HTTP process of the API when several serve it (cluster/primary.ts holds the index): everything a request
// needs but the pages its kept answers lack, which it asks the primary for. What the primary's change feed
// heard and whether its index is current arrive here in the order they happened, before any page answered after.
import type { HeardChange } from '../../../projections/changeNotice';
import { OnlineStore } from '../../../shared/activity/onlineStore';
import type { Running } from '../../projector/consumer';
import { createApp } from '../app';
import { listen } from '../listen';
import { ApiError } from '../errors';
import type { Changes } from '../changes/changeFeed';
import { SILENT_MS } from '../changes/heartbeat';
import type { Page, PageAsked, PageSource } from '../listing/pageSource';
import { Asks } from './asks';
import { sharedRuns } from '../metricsText';
import type { ApiProcessDeps } from './primary';
import type { Failure, FeedState, IndexState, ToPrimary, ToWorker } from './protocol';

/** A page can take a while (a search of a new text, a deep offset): far more than that means the primary is gone. */
const ASK_TIMEOUT_MS = 30_000;
/**
 * Questions to the primary waiting at once in one HTTP process; past it a request is answered 503 at once. Far
 * above what a load keeps in flight (bench:api: 200 connections), far below what holds a process's memory.
 */
const MAX_PENDING_ASKS = 1_000;

/**
 * The primary's change feed, as it last said. The primary says it at every beat its feed hears (changes/heartbeat.ts):
 * silent for SILENT_MS (the primary stuck, or its feed down without a word yet), it is not trusted here either.
 */
class RelayedFeed implements Changes {
  private state: FeedState = { t: 'feed', live: false, epoch: 0, versions: [], heard: null };
  private heardAt = -Infinity;
  private versions = new Map<string, string>();
  private readonly subscribers = new Set<(e: HeardChange) => void>();

  get isLive(): boolean {
    return this.state.live && Date.now() - this.heardAt < SILENT_MS;
  }

  get epoch(): number {
    return this.state.epoch;
  }

  versionOf(schema: string): string {
    return this.versions.get(schema) ?? `${this.state.epoch}.0`;
  }

  subscribe(fn: (e: HeardChange) => void): () => void {
    this.subscribers.add(fn);
    return () => this.subscribers.delete(fn);
  }

  hear(state: FeedState): void {
    this.state = state;
    this.heardAt = Date.now();
    this.versions = new Map(state.versions);
    if (state.heard !== null) for (const fn of this.subscribers) fn(state.heard);
  }
}

/** Pages from the primary's index, kept here under the version it last said its index was current at. */
class RelayedPages implements PageSource {
  private current: IndexState['current'] = null;

  constructor(private readonly asks: Asks<unknown>, private readonly feed: Changes) {}

  /** The primary's word, while its feed is heard: silent, it may have stopped hearing commits. */
  keepVersion(schema: string): string | null {
    return this.current?.schema === schema && this.feed.isLive ? this.current.version : null;
  }

  hear(state: IndexState): void {
    this.current = state.current;
  }

  async page({ schema, endpoint, querystring }: PageAsked): Promise<Page> {
    return (await this.asks.ask((id) => toPrimary({ t: 'page', id, schema, audience: endpoint.audience, querystring }), ASK_TIMEOUT_MS)) as Page;
  }
}

const toPrimary = (m: ToPrimary) => {
  if (process.send === undefined || !process.connected) throw new Error('the API\'s primary process is gone');
  process.send(m);
};

/** The error the primary met, for this process's error handling: an ApiError as it was, anything else with its code. */
function errorOf(f: Failure): Error {
  if (f.status !== undefined) return new ApiError(f.status, f.body ?? {}, f.headers);
  return Object.assign(new Error(f.message), f.code === undefined ? {} : { code: f.code });
}

export async function startApiWorker(deps: ApiProcessDeps): Promise<Running> {
  const { stores, config, metrics, logger } = deps;
  const asks = new Asks<unknown>(MAX_PENDING_ASKS);
  const feed = new RelayedFeed();
  const pages = new RelayedPages(asks, feed);
  // Forked as the primary starts (workers.ts): it answers hello once it has migrated and holds the change feed,
  // and only then does this process listen.
  let greeted: () => void = () => undefined;
  const answered = new Promise<void>((resolve) => (greeted = resolve));
  process.on('message', (m: ToWorker) => {
    if (m.t === 'feed') {
      feed.hear(m);
      greeted();
    } else if (m.t === 'index') pages.hear(m);
    else if (m.t === 'metrics-json') void metrics.registry.getMetricsAsJSON().then((json) => toPrimary({ t: 'metrics-json', id: m.id, json }));
    else if (m.t === 'failed') asks.fail(m.id, errorOf(m.failure));
    else asks.settle(m.id, m.t === 'page' ? m.page : m.text);
  });
  toPrimary({ t: 'hello' });
  process.on('disconnect', () => {
    asks.failAll('the API\'s primary process is gone');
    logger.error('the API\'s primary process is gone; stopping');
    process.kill(process.pid, 'SIGTERM');
  });
  const unfollow = stores.online instanceof OnlineStore ? stores.online.follow((err) => logger.debug({ err }, 'not following the online set')) : null;
  const app = createApp({
    db: stores.readDb, authDb: stores.db, redis: stores.redis, online: stores.online, changes: feed, pages,
    // Everyone's, from the primary: one question at a time, shared by the scrapes meanwhile; none with METRICS_PORT
    // (the primary serves them there).
    metricsText: config.http.metricsPort !== null ? null : sharedRuns(async () => (await asks.ask((id) => toPrimary({ t: 'metrics', id }), ASK_TIMEOUT_MS)) as string),
    metrics, logger, maxPageSize: config.maxPageSize, trustProxy: config.http.trustProxy, inMemorySearch: config.inMemorySearch, topics: config.topics,
  });
  await answered;
  const http = await listen(app, config.http, logger, 'api (an HTTP process)');
  return {
    stop: async () => {
      await http.stop();
      unfollow?.();
    },
  };
}
