// Starts one or more roles in this process over shared connections, and stops them cleanly on
// SIGTERM/SIGINT: stop taking work, let the batch in hand commit or roll back, close connections, exit 0
// within 10 s (ops.md, "Processes").
import cluster from 'node:cluster';
import { Config } from '../shared/config';
import { Logger } from '../shared/logger';
import type { Kafka } from 'kafkajs';
import { openStores } from './stores';
import { migrate } from '../projections/migrate';
import { withRetry } from './retry';
import { createMetrics } from '../shared/metrics';
import type { Running } from './projector/consumer';
import type { HttpWorkers } from './api/cluster/workers';

export type Role = 'api' | 'project' | 'activity';
const SHUTDOWN_DEADLINE_MS = 10_000;

/** `workers`: the API's HTTP processes, forked at the process's start (services/api/cluster/workers.ts), or none. */
export async function runRoles(roles: readonly Role[], given: Config, logger: Logger, workers: HttpWorkers | null = null): Promise<void> {
  const stores = await openStores(given, roles.length > 1, logger);
  const { config, db, redis, online } = stores;
  // Each role's modules are loaded by the processes that run it: an API process starts without Kafka's client
  // and the consumers (about a fifth of its start, paid again by each HTTP process).
  const kafkaModule = roles.includes('project') || roles.includes('activity') ? await import('../shared/kafka') : null;
  const kafka = kafkaModule?.createKafka(config, logger) ?? null;
  const running: Running[] = [];
  let stopping = false;

  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    const deadline = setTimeout(() => {
      logger.error('shutdown took longer than 10 s; exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    await Promise.all(running.map((r) => r.stop().catch((err) => logger.error({ err }, 'error while stopping'))));
    // Callers' activity waits up to 100 ms to be written with others' (onlineStore.ts): write what is left.
    await online.flush().catch((err) => logger.warn({ err }, 'could not write the last callers\' token activity'));
    await stores.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  // An HTTP process of the API (services/api/cluster/) starts once its primary has migrated.
  if (!cluster.isWorker) await withRetry('postgresql', () => migrate(db, config.databaseUrl), logger);
  if (kafkaModule !== null && kafka !== null) await withRetry('kafka', () => kafkaModule.ensureTopicsWith(kafka, config), logger);
  const metrics = createMetrics();
  for (const role of roles) {
    if (stopping) return;
    if (role === 'project') running.push(await (await import('./projector/consumer')).startProjector({ kafka: kafka as Kafka, db, config, metrics, logger: logger.child({ role }) }));
    if (role === 'activity') running.push(await (await import('./activity/consumer')).startActivity({ kafka: kafka as Kafka, online, config, logger: logger.child({ role }) }));
    if (role === 'api') running.push(await (await import('./api/serve')).startApi({ stores, config, metrics, logger: logger.child({ role }) }, workers));
  }
  // A process without the API still serves /healthz, /readyz and /metrics on PORT (/metrics on METRICS_PORT if set).
  if (!roles.includes('api') && !stopping) {
    const [{ listen }, { createServiceApp }, { localMetricsText, serveMetrics }] = await Promise.all([import('./api/listen'), import('./api/app'), import('./api/metricsText')]);
    const metricsText = localMetricsText(stores.metricsDb, metrics);
    running.push(await listen(createServiceApp({ db, redis, metrics, logger, metricsText: config.http.metricsPort === null ? metricsText : null }), config.http, logger, 'service endpoints'));
    const metricsPort = await serveMetrics(metricsText, metrics, { port: config.http.metricsPort, host: config.http.host }, logger);
    if (metricsPort !== null) running.push(metricsPort);
  }
}
