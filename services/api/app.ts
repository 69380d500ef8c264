// createApp(deps) builds the Koa app without listening; services/roles.ts listens (services/api/listen.ts).
import Koa from 'koa';
import Router from '@koa/router';
import { Knex } from 'knex';
import Redis from 'ioredis';
import { Logger } from '../../shared/logger';
import { Metrics } from '../../shared/metrics';
import { OnlineStatus } from '../../shared/activity/onlineStore';
import { errorHandler, requestId, sendJson } from './errors';
import { requestLimits } from './requestLimits';
import { deadline } from './deadline';
import { GenerationCache } from './generationCache';
import { Authenticator } from './auth';
import { listHandler } from './listing/listHandler';
import { Answers } from './listing/answer';
import type { Changes } from './changes/changeFeed';
import type { CommittedCheckpoints } from './index/pushedChanges';
import type { PageSource } from './listing/pageSource';
import { localPages } from './localPages';
import { localMetricsText } from './metricsText';
import { usersEndpoint } from './users/endpoint';
import { customersEndpoint } from './customers/endpoint';
import { openApiDocument } from './schema/openapi';
import { docsRoutes } from './docsPage';

/** The AsyncAPI document (schema/asyncapi.ts). */
type AsyncApi = Record<string, unknown>;

/**
 * `redis` is null when `rollcall all` keeps token activity in-process (issue 8): nothing to check then.
 * `metricsText`: the /metrics text when another process gathers it (cluster/worker.ts asks cluster/primary.ts);
 * null when METRICS_PORT serves it (metricsText.ts), not this app. Default: this process's registry, with the
 * figures PostgreSQL gives read through `metricsDb` (default `db`; the roles give a connection of its own).
 */
export type ServiceDeps = Readonly<{
  db: Knex; redis: Redis | null; metrics: Metrics; logger: Logger; metricsText?: (() => Promise<string>) | null; metricsDb?: Knex;
}>;

export type AppDeps = ServiceDeps &
  Readonly<{
    online: OnlineStatus;
    maxPageSize: number;
    trustProxy: boolean;
    /** Whether searches are counted in memory (config.ts, IN_MEMORY_SEARCH). */
    inMemorySearch: boolean;
    /** false: no in-memory index of the users (config.ts, IN_MEMORY_INDEX); PostgreSQL answers everything. Default true. */
    inMemoryIndex?: boolean;
    /** Whether the in-memory index starts loading now, rather than at the first request that wants it (the API role). */
    warmIndex?: boolean;
    /** Where tokens are read when `db` is a replica (READ_DATABASE_URL): the primary. Default: `db`. */
    authDb?: Knex;
    /**
     * The projector's notices, heard on the primary (changes/changeFeed.ts): with it live, authentications and
     * pages are kept and the index is read with no round trip until a notice says otherwise. Default: none,
     * every request asks PostgreSQL what changed.
     */
    changes?: Changes | null;
    /**
     * What the index follows when `db` is a replica (changes/readFeeds.ts): `changes` on it when it `itself` can
     * LISTEN, else the primary's with its checkpoints (`committed`). Default: `changes`, nothing more.
     */
    reads?: Readonly<{ changes: Changes | null; itself: boolean; committed: CommittedCheckpoints | null }>;
    /**
     * Where pages come from when this process holds no index: another process's (cluster/worker.ts). Default:
     * an index held here.
     */
    pages?: PageSource;
    /** The topic names the AsyncAPI document names (config.ts); default events.md's. */
    topics?: Readonly<{ events: string; activity: string; dlq: string }>;
  }>;

/** /healthz, /readyz and /metrics (ops.md, "Service endpoints"): every role serves them. */
function serviceRoutes(router: Router, deps: ServiceDeps): void {
  router.get('/healthz', (ctx) => sendJson(ctx, 200, { status: 'ok' }));
  router.get('/readyz', async (ctx) => {
    const checks = await Promise.allSettled([deps.db.raw('select 1'), deps.redis?.ping()]);
    const failing = ['postgresql', 'redis'].filter((_, i) => checks[i]?.status === 'rejected');
    sendJson(ctx, failing.length === 0 ? 200 : 503, failing.length === 0 ? { status: 'ready' } : { status: 'unavailable', failing });
  });
  if (deps.metricsText === null) return;
  const text = deps.metricsText ?? localMetricsText(deps.metricsDb ?? deps.db, deps.metrics);
  router.get('/metrics', async (ctx) => {
    ctx.set('Content-Type', deps.metrics.registry.contentType);
    ctx.body = await text();
  });
}

/**
 * Latency by route (the route's pattern, never the raw path: bounded label values) and status, and an
 * access line at debug level: path without its query string (search terms are personal data), never a header.
 */
function measure(metrics: Metrics, logger: Logger): Koa.Middleware {
  return async (ctx, next) => {
    const end = metrics.httpDuration.startTimer();
    try {
      await next();
    } finally {
      const seconds = end({ route: (ctx as unknown as { _matchedRoute?: string })._matchedRoute ?? 'unmatched', method: ctx.method, status: String(ctx.status) });
      logger.debug({ requestId: ctx.state.requestId, method: ctx.method, path: ctx.path, status: ctx.status, ms: seconds * 1000 }, 'request');
    }
  };
}

/** The app of a role that does not serve the API: only the service endpoints. */
export function createServiceApp(deps: ServiceDeps): Koa {
  const app = new Koa();
  const router = new Router({ strict: true, sensitive: true });
  serviceRoutes(router, deps);
  app.use(requestId());
  app.use(errorHandler(deps.logger));
  app.use(router.routes());
  return app;
}

export function createApp(deps: AppDeps): Koa {
  const app = new Koa({ proxy: deps.trustProxy });
  const feed = deps.changes ?? null;
  const primary = deps.authDb ?? deps.db;
  // The feed hears the primary: it vouches for the primary's serving generation, not a replica's.
  const authGenerations = new GenerationCache(primary, undefined, feed);
  const reads = deps.reads ?? { changes: feed, itself: primary === deps.db, committed: null };
  // A feed on the replica itself vouches for the replica's serving generation (its own replays notify there).
  const generations = primary === deps.db ? authGenerations : new GenerationCache(deps.db, undefined, reads.itself ? reads.changes : null);
  const authenticator = new Authenticator(primary, authGenerations, feed);
  // A replay's switch, heard: read the serving generation now rather than within the cache's second.
  feed?.subscribe((e) => {
    if (e.kind === 'generation') void Promise.all([generations.refresh(), authGenerations.refresh()]).catch((err: unknown) => deps.logger.warn({ err }, 'could not read the serving generation'));
  });
  if (reads.changes !== feed) reads.changes?.subscribe((e) => e.kind === 'generation' && void generations.refresh().catch((err: unknown) => deps.logger.warn({ err }, 'could not read the serving generation')));
  const pages = deps.pages ?? localPages(deps, generations, reads.changes, reads.committed);
  const listDeps = { ...deps, generations, authenticator, pages, answers: new Answers() };
  const router = new Router({ strict: true, sensitive: true });
  serviceRoutes(router, deps);

  const schema = openApiDocument();
  router.get('/api/schema', (ctx) => sendJson(ctx, 200, schema));
  // Made when first asked: the event schemas (zod) were a sixth of an HTTP process's start.
  let events: AsyncApi | null = null;
  router.get('/api/asyncapi', async (ctx) => {
    if (events === null) {
      const { asyncApiDocument, DEFAULT_TOPICS } = await import('./schema/asyncapi');
      events = asyncApiDocument(deps.topics ?? DEFAULT_TOPICS);
    }
    sendJson(ctx, 200, events);
  });
  docsRoutes(router);

  const customers = listHandler(customersEndpoint, listDeps);
  router.all('/api/customers', customers);
  router.all('/api/customers/', customers);
  router.all('/api/users/', listHandler(usersEndpoint, listDeps));
  // Django's APPEND_SLASH: a relative Location, the query string kept as sent.
  router.all('/api/users', (ctx) => {
    ctx.status = 301;
    ctx.set('Location', `/api/users/${ctx.querystring === '' ? '' : `?${ctx.querystring}`}`);
    ctx.body = '';
  });

  app.use(requestId());
  app.use(measure(deps.metrics, deps.logger));
  app.use(errorHandler(deps.logger));
  app.use(requestLimits());
  app.use(deadline());
  app.use(async (ctx, next) => {
    // What Django's SecurityMiddleware and DRF's APIView add to every response.
    ctx.set({ Vary: 'Accept', 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'same-origin', 'X-Frame-Options': 'DENY' });
    await next();
  });
  app.use(router.routes());
  return app;
}
