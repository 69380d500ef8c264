// The request lifecycle of both list endpoints: authenticate, record activity, check permission, check
// the method (DRF answers 405 only after authentication and permissions), then parse → plan and execute
// (execute/execute.ts) → serialise.
import { Middleware } from 'koa';
import { Knex } from 'knex';
import { Logger } from '../../../shared/logger';
import { OnlineStatus } from '../../../shared/activity/onlineStore';
import type { IndexHolder } from '../index/holder';
import { Authenticator, tokenKey } from '../auth';
import { ApiError, methodNotAllowed, notAuthenticated, permissionDenied, sendJson } from '../errors';
import { GenerationCache } from '../generationCache';
import { parseQueryString } from '../queryString';
import { pageLinks } from './parse/pagination';
import { listRequest } from './parse/listRequest';
import { wantsIndex } from './plan/planner';
import { listUsers } from './execute/execute';
import type { Endpoint } from './endpoint';

export type ListDeps = Readonly<{
  db: Knex;
  generations: GenerationCache;
  authenticator: Authenticator;
  online: OnlineStatus;
  index: IndexHolder;
  maxPageSize: number;
  logger: Logger;
}>;

export const ALLOW = 'GET, HEAD';

export function listHandler(endpoint: Endpoint, deps: ListDeps): Middleware {
  const handle = listOne(endpoint, deps);
  return async (ctx) => {
    const schema = await deps.generations.schema();
    try {
      await handle(ctx, schema);
    } catch (err) {
      // A replay dropped the generation this request began with (it switched while the request ran, and the
      // request outlived the drop's delay): answer it again, whole, from the serving one (issue 16).
      if (!isMissingRelation(err)) throw err;
      const [serving] = await Promise.all([deps.generations.refresh(), deps.authenticator.refreshGeneration()]);
      if (serving === schema) throw err;
      await handle(ctx, serving);
    }
  };
}

/** PostgreSQL's undefined_table and invalid_schema_name: what reading a dropped generation fails with. */
const isMissingRelation = (err: unknown) => ['42P01', '3F000'].includes((err as { code?: string }).code ?? '');

function listOne(endpoint: Endpoint, deps: ListDeps): (ctx: Parameters<Middleware>[0], schema: string) => Promise<void> {
  return async (ctx, schema) => {
    const key = tokenKey(ctx.get('Authorization') || undefined);
    if (key === null) throw notAuthenticated('Authentication credentials were not provided.');
    const principal = await deps.authenticator.authenticate(key);
    // Off the critical path: written with other callers' within a moment (shared/activity/onlineStore.ts).
    deps.online.touch(principal.id);
    if (!endpoint.allowed(principal)) throw permissionDenied();
    ctx.set('Allow', ALLOW);
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') throw methodNotAllowed(ctx.method, ALLOW);

    const pairs = parseQueryString(ctx.querystring);
    const req = listRequest(pairs, endpoint, { schema }, deps.maxPageSize);
    const snapshot = deps.online.snapshot().catch((err: unknown) => {
      deps.logger.debug({ err, requestId: ctx.state.requestId }, 'online status unavailable');
      if (req.online !== null) throw new ApiError(503, { detail: 'Online status is temporarily unavailable.' });
      // Without Redis the page is still served, every user offline, and the client is told (issue 5).
      ctx.set('Warning', '199 rollcall "online status unavailable"');
      return null;
    });
    // The online set is needed before the page only when the request filters on it; otherwise it is read
    // while PostgreSQL reads the page.
    const sources = Promise.all([req.online === null ? null : snapshot, wantsIndex(req) ? deps.index.current(schema) : null]);
    const [{ count, rows }, online] = await Promise.all([
      sources.then(([filterOnline, index]) => listUsers(deps.db, schema, req, { online: filterOnline, index })),
      snapshot,
    ]);
    const links = pageLinks(`${ctx.protocol}://${ctx.host}${ctx.path}`, pairs, req.page, count);
    sendJson(ctx, 200, {
      count,
      next: links.next,
      previous: links.previous,
      results: rows.map((r) => endpoint.serialize(r, online?.has(r.id) ?? false)),
    });
  };
}
