// What /metrics costs (issue 27): an unauthenticated flood of scrapes once ran three or four statements each
// through the pool that serves pages, and asked every HTTP process over IPC, nothing shared. Now one gathering
// serves every scrape that arrives while it runs, the figures PostgreSQL gives are read at most once a second
// through a connection of their own (Stores.metricsDb), and METRICS_PORT serves them apart from the API.
import type { Knex } from 'knex';
import Koa from 'koa';
import type { Logger } from '../../shared/logger';
import type { Metrics } from '../../shared/metrics';
import type { Running } from '../projector/consumer';
import { activeGeneration, replayProgress } from '../../projections/generations';
import { blockedSummary } from '../../projections/users/blocked';
import { errorHandler, requestId } from './errors';
import { listen } from './listen';

/** How long the figures read from PostgreSQL serve scrapes before they are read again. */
const DATABASE_FIGURES_MS = 1_000;

/** `run`, once at a time: a caller arriving while it runs gets that run's result rather than a run of its own. */
export function sharedRuns<T>(run: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | null = null;
  return () => (running ??= run().finally(() => (running = null)));
}

/** The gauges read from PostgreSQL: a replay's progress, the users blocked behind a dead letter. */
export class DatabaseGauges {
  private readAt = -Infinity;
  private readonly read = sharedRuns(async () => {
    await setDatabaseGauges(this.db, this.metrics);
    this.readAt = Date.now();
  });

  /** `db`: a pool of its own (Stores.metricsDb), so that scrapes never wait for, nor hold, a page's connection. */
  constructor(private readonly db: Knex, private readonly metrics: Metrics) {}

  /** Read again when the last read is more than a second old; scrapes meanwhile share one read. */
  update(): Promise<void> {
    return Date.now() - this.readAt < DATABASE_FIGURES_MS ? Promise.resolve() : this.read();
  }
}

async function setDatabaseGauges(db: Knex, metrics: Metrics): Promise<void> {
  const [replaying, { schema }] = await Promise.all([replayProgress(db), activeGeneration(db)]);
  const blocked = await blockedSummary(db, schema);
  metrics.replayApplied.reset();
  if (replaying !== null) metrics.replayApplied.set({ generation: String(replaying.generation) }, replaying.applied);
  metrics.blockedUsers.set(blocked.users);
  metrics.blockedEvents.set(blocked.events);
}

/** This process's metrics in Prometheus text, the database's figures at most a second old; concurrent scrapes share one. */
export function localMetricsText(db: Knex, metrics: Metrics): () => Promise<string> {
  const gauges = new DatabaseGauges(db, metrics);
  return sharedRuns(async () => {
    await gauges.update();
    return metrics.registry.metrics();
  });
}

/** GET /metrics alone: what METRICS_PORT serves. */
export function metricsApp(text: () => Promise<string>, metrics: Metrics, logger: Logger): Koa {
  const app = new Koa();
  app.use(requestId());
  app.use(errorHandler(logger));
  app.use(async (ctx) => {
    if (ctx.path !== '/metrics' || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return; // 404 (errorHandler)
    ctx.set('Content-Type', metrics.registry.contentType);
    ctx.body = await text();
  });
  return app;
}

/** Serves `text` on METRICS_PORT when it is set (`port` null: not, the API's port serves them). */
export async function serveMetrics(text: () => Promise<string>, metrics: Metrics, http: Readonly<{ port: number | null; host: string }>, logger: Logger): Promise<Running | null> {
  if (http.port === null) return null;
  return listen(metricsApp(text, metrics, logger), { port: http.port, host: http.host }, logger, 'metrics');
}
