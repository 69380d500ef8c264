// The request lifecycle of both list endpoints: authenticate, record activity, check permission, check
// the method (DRF answers 405 only after authentication and permissions), read one page, serialise.
import { Middleware } from 'koa';
import { Knex } from 'knex';
import { Logger } from '../../../shared/logger';
import { OnlineStore, nowMicros } from '../../../shared/activity/onlineStore';
import { authenticate, Principal, tokenKey } from '../auth';
import { methodNotAllowed, notAuthenticated, permissionDenied, sendJson } from '../errors';
import { GenerationCache } from '../generationCache';
import { parseQueryString } from '../queryString';
import { pageLinks, parsePage } from './pagination';
import { parseOrdering } from './ordering';
import { Audience, ListedRow, listUsers } from './listQuery';

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
  online: OnlineStore;
  maxPageSize: number;
  logger: Logger;
}>;

export const ALLOW = 'GET, HEAD';

export function listHandler(endpoint: Endpoint, deps: ListDeps): Middleware {
  return async (ctx) => {
    const schema = await deps.generations.schema();
    const key = tokenKey(ctx.get('Authorization') || undefined);
    if (key === null) throw notAuthenticated('Authentication credentials were not provided.');
    const principal = await authenticate(deps.db, schema, key);
    // Off the critical path: the response does not wait for Redis.
    deps.online.record(new Map([[principal.id, nowMicros()]])).catch((err) =>
      deps.logger.warn({ err, requestId: ctx.state.requestId }, 'could not record token activity'),
    );
    if (!endpoint.allowed(principal)) throw permissionDenied();
    ctx.set('Allow', ALLOW);
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') throw methodNotAllowed(ctx.method, ALLOW);

    const pairs = parseQueryString(ctx.querystring);
    const page = parsePage(pairs, deps.maxPageSize);
    const { count, rows } = await listUsers(deps.db, schema, {
      audience: endpoint.audience,
      conditions: [],
      ordering: parseOrdering(pairs),
      page,
      details: endpoint.details,
    });
    const online = await deps.online.online(rows.map((r) => r.id));
    const links = pageLinks(`${ctx.protocol}://${ctx.host}${ctx.path}`, pairs, page, count);
    sendJson(ctx, 200, {
      count,
      next: links.next,
      previous: links.previous,
      results: rows.map((r) => endpoint.serialize(r, online.has(r.id))),
    });
  };
}
