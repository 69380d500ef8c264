// The API's primary process when HTTP is served by several (API_PROCESSES > 1, docs/scaling.md): it holds the one
// in-memory index and the change feed, forks the HTTP workers (Node's cluster: they share the port), answers
// the pages their kept answers lack, and tells them what the feed heard and whether the index is current.
import { AggregatorRegistry } from 'prom-client';
import { Config } from '../../../shared/config';
import { Logger } from '../../../shared/logger';
import { Metrics } from '../../../shared/metrics';
import { OnlineStore } from '../../../shared/activity/onlineStore';
import type { Stores } from '../../stores';
import type { Running } from '../../projector/consumer';
import { ApiError } from '../errors';
import { localPages } from '../localPages';
import { DatabaseGauges, serveMetrics, sharedRuns } from '../metricsText';
import { GenerationCache } from '../generationCache';
import { openFeeds } from '../changes/readFeeds';
import { LocalPages } from '../listing/pageSource';
import { parseQueryString } from '../queryString';
import { listRequest } from '../listing/parse/listRequest';
import { customersEndpoint } from '../customers/endpoint';
import { usersEndpoint } from '../users/endpoint';
import { Ask, Failure, FeedState, IndexState, ToWorker } from './protocol';
import { Asks } from './asks';
import { HttpWorkers } from './workers';

export type ApiProcessDeps = Readonly<{ stores: Stores; config: Config; metrics: Metrics; logger: Logger }>;

/**
 * `workers`: the HTTP processes, forked when the process started (workers.ts). With METRICS_PORT, this process
 * serves /metrics there itself: it gathers everyone's anyway, and no scrape then passes through an HTTP process.
 */
export async function startApiPrimary(deps: ApiProcessDeps, workers: HttpWorkers): Promise<Running> {
  const { stores, config, logger } = deps;
  // The primary's feed is relayed to the HTTP processes (authentications); the index follows `feeds.read`.
  const feeds = await openFeeds(stores, logger, deps.metrics.changeFeedLive);
  const feed = feeds.primary;
  const unfollow = stores.online instanceof OnlineStore ? stores.online.follow((err) => logger.debug({ err }, 'not following the online set')) : null;
  const pages = localPages({ ...deps, db: stores.readDb, inMemorySearch: config.inMemorySearch, inMemoryIndex: config.inMemoryIndex, warmIndex: true }, new GenerationCache(stores.readDb, undefined, feeds.readsItself ? feeds.read : null), feeds.read, feeds.committed);
  const gathering = new Asks<unknown>(1_000);
  // One gathering for every scrape that arrives while it runs, whichever HTTP process (or METRICS_PORT) asked.
  const gauges = new DatabaseGauges(stores.metricsDb, deps.metrics);
  const everyones = sharedRuns(() => metricsText(deps, gauges, gathering, workers));
  const feedState = (heard: FeedState['heard']): FeedState => ({ t: 'feed', live: feed?.isLive ?? false, epoch: feed?.epoch ?? 0, versions: feed?.versions() ?? [], heard });
  const indexState = (): IndexState => {
    const s = pages.index.state();
    return { t: 'index', current: s === null ? null : { schema: s.schema, version: String(s.version) } };
  };
  workers.listen((w, m) => {
    if (m.t === 'hello') return [feedState(null), indexState()].forEach((s) => workers.send(w, s));
    if (m.t === 'metrics-json') return void gathering.settle(m.id, m.json);
    void answer(deps, pages, everyones, m).then((reply) => workers.send(w, reply));
  });
  feed?.subscribe((heard) => workers.broadcast(feedState(heard)));
  // Each beat heard is said too: an HTTP process trusts the relayed feed only while it keeps hearing it.
  feed?.onBeat(() => workers.broadcast(feedState(null)));
  // Said again only when it changed: a replay's batches are heard too, and change nothing here.
  let said = '';
  pages.index.watch(() => {
    const state = indexState();
    const text = JSON.stringify(state.current);
    if (text !== said) workers.broadcast(state);
    said = text;
  });
  logger.info({ processes: workers.size }, 'api: this process holds the index; HTTP is served by the others');
  const metricsPort = await serveMetrics(everyones, deps.metrics, { port: config.http.metricsPort, host: config.http.host }, logger);

  return {
    stop: async () => {
      await metricsPort?.stop();
      await workers.stop();
      unfollow?.();
      await feeds.close();
    },
  };
}

async function answer(deps: ApiProcessDeps, pages: LocalPages, everyones: () => Promise<string>, m: Ask): Promise<ToWorker> {
  try {
    if (m.t === 'metrics') return { t: 'metrics', id: m.id, text: await everyones() };
    const endpoint = m.audience === 'customers' ? customersEndpoint : usersEndpoint;
    const req = listRequest(parseQueryString(m.querystring), endpoint, { schema: m.schema }, deps.config.maxPageSize);
    // Fresh: the asking process may have followed a write this one has not woken for yet, and keeps the page
    // under what it has seen.
    const online = req.online === null ? null : await deps.stores.online.snapshot({ fresh: true });
    return { t: 'page', id: m.id, page: await pages.page({ schema: m.schema, endpoint, req, querystring: m.querystring, online }) };
  } catch (err) {
    return { t: 'failed', id: m.id, failure: failureOf(err) };
  }
}

/** What the worker needs to answer as one process would: an ApiError's answer, or a failure's code (503, a retry after a replay). */
function failureOf(err: unknown): Failure {
  if (err instanceof ApiError) return { message: err.message, status: err.status, body: err.body, headers: err.headers };
  const e = err as { message?: string; code?: string };
  return { message: e.message ?? String(err), ...(typeof e.code === 'string' ? { code: e.code } : {}) };
}

/** Everyone's metrics as one: the workers' (HTTP) and this process's (the index, the database's figures). */
async function metricsText(deps: ApiProcessDeps, gauges: DatabaseGauges, gathering: Asks<unknown>, workers: HttpWorkers): Promise<string> {
  await gauges.update();
  deps.metrics.httpProcesses.set(workers.serving);
  const theirs = await workers.askEach(gathering, (id) => ({ t: 'metrics-json', id }), 5_000);
  const all: object[] = [await deps.metrics.registry.getMetricsAsJSON(), ...(theirs as object[])];
  return AggregatorRegistry.aggregate(all).metrics();
}
