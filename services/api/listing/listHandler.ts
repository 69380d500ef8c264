// The request lifecycle of both list endpoints: authenticate, record activity, check permission, check
// the method (DRF answers 405 only after authentication and permissions), read one page, serialise.
import { Middleware } from 'koa';
import { Knex } from 'knex';
import { Logger } from '../../../shared/logger';
import { OnlineStatus, nowMicros } from '../../../shared/activity/onlineStore';
import { Authenticator, Principal, tokenKey } from '../auth';
import { ApiError, methodNotAllowed, notAuthenticated, permissionDenied, sendJson } from '../errors';
import { GenerationCache } from '../generationCache';
import { parseQueryString } from '../queryString';
import { pageLinks } from './pagination';
import { Audience, ListedRow, listUsers } from './listQuery';
import { listRequest } from './listRequest';

export type Endpoint = Readonly<{
  audience: Audience;
  /** Whether objects show inviter, invitees and groups. */
  details: boolean;
  allowed: (p: Principal) => boolean;
  serialize: (row: ListedRow, online: boolean) => Record<string, unknown>;
}>;

export type ListDeps = Readonly<{
  db: Knex;
  generations: GenerationCache;
  authenticator: Authenticator;
  online: OnlineStatus;
  maxPageSize: number;
  logger: Logger;
}>;

export const ALLOW = 'GET, HEAD';

export function listHandler(endpoint: Endpoint, deps: ListDeps): Middleware {
  return async (ctx) => {
    const schema = await deps.generations.schema();
    const key = tokenKey(ctx.get('Authorization') || undefined);
    if (key === null) throw notAuthenticated('Authentication credentials were not provided.');
    const principal = await deps.authenticator.authenticate(schema, key);
    // Off the critical path: the response does not wait for Redis. A Redis outage is logged once by its
    // client (shared/redis.ts); per request it is only a debug line, so an outage cannot flood the logs.
    deps.online.record(new Map([[principal.id, nowMicros()]])).catch((err) =>
      deps.logger.debug({ err, requestId: ctx.state.requestId }, 'could not record token activity'),
    );
    if (!endpoint.allowed(principal)) throw permissionDenied();
    ctx.set('Allow', ALLOW);
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') throw methodNotAllowed(ctx.method, ALLOW);

    const pairs = parseQueryString(ctx.querystring);
    const onlineIds = () =>
      deps.online.allOnline().catch((err) => {
        deps.logger.debug({ err, requestId: ctx.state.requestId }, 'online status unavailable');
        throw new ApiError(503, { detail: 'Online status is temporarily unavailable.' });
      });
    const req = await listRequest(pairs, endpoint, { schema, onlineIds }, deps.maxPageSize);
    const { count, rows } = await listUsers(deps.db, schema, req);
    // Without Redis the page is still served, every user offline, and the client is told (issue 5).
    const online = await deps.online.online(rows.map((r) => r.id)).catch((err) => {
      deps.logger.debug({ err, requestId: ctx.state.requestId }, 'online status unavailable');
      ctx.set('Warning', '199 rollcall "online status unavailable"');
      return new Set<string>();
    });
    const links = pageLinks(`${ctx.protocol}://${ctx.host}${ctx.path}`, pairs, req.page, count);
    sendJson(ctx, 200, {
      count,
      next: links.next,
      previous: links.previous,
      results: rows.map((r) => endpoint.serialize(r, online.has(r.id))),
    });
  };
}
