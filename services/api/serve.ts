// The API role: one process serving HTTP with its own index, or, when `rollcall api` runs alone with
// API_PROCESSES above 1, a primary holding the index for that many HTTP processes (cluster/, docs/scaling.md).
import cluster from 'node:cluster';
import { OnlineStore } from '../../shared/activity/onlineStore';
import type { Running } from '../projector/consumer';
import { openFeeds } from './changes/readFeeds';
import type { ApiProcessDeps } from './cluster/primary';
import type { HttpWorkers } from './cluster/workers';
import { localMetricsText, serveMetrics } from './metricsText';

/**
 * `workers`: the HTTP processes this primary forked at its start (cluster/workers.ts's httpWorkersFor), or none.
 * Each kind of process loads its own modules (the primary, no web framework).
 */
export async function startApi(deps: ApiProcessDeps, workers: HttpWorkers | null): Promise<Running> {
  if (cluster.isWorker) return (await import('./cluster/worker')).startApiWorker(deps);
  if (workers !== null) return (await import('./cluster/primary')).startApiPrimary(deps, workers);
  return startOneProcess(deps);
}

async function startOneProcess({ stores, config, metrics, logger }: ApiProcessDeps): Promise<Running> {
  const [{ createApp }, { listen }] = await Promise.all([import('./app'), import('./listen')]);
  // Pushed changes (docs/scaling.md): the projector's notices (on the primary, and on a replica of its own), the online set's write stream.
  const feeds = await openFeeds(stores, logger, metrics.changeFeedLive);
  const unfollow = stores.online instanceof OnlineStore ? stores.online.follow((err) => logger.debug({ err }, 'not following the online set; reading it per request')) : null;
  const metricsText = localMetricsText(stores.metricsDb, metrics);
  const app = createApp({
    db: stores.readDb, authDb: stores.db, redis: stores.redis, online: stores.online, changes: feeds.primary, metrics, logger,
    reads: { changes: feeds.read, itself: feeds.readsItself, committed: feeds.committed },
    metricsText: config.http.metricsPort === null ? metricsText : null,
    maxPageSize: config.maxPageSize, trustProxy: config.http.trustProxy, inMemorySearch: config.inMemorySearch,
    inMemoryIndex: config.inMemoryIndex, warmIndex: true, topics: config.topics,
  });
  const http = await listen(app, config.http, logger, 'api');
  const metricsPort = await serveMetrics(metricsText, metrics, { port: config.http.metricsPort, host: config.http.host }, logger);
  metrics.httpProcesses.set(1);
  return {
    stop: async () => {
      await metricsPort?.stop();
      await http.stop();
      unfollow?.();
      await feeds.close();
    },
  };
}
