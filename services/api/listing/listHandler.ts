// The request lifecycle of both list endpoints: authenticate, record activity, check permission, check
// the method (DRF answers 405 only after authentication and permissions), read one page, serialise.
import { Middleware } from 'koa';
import { Knex } from 'knex';
import { Logger } from '../../../shared/logger';
import { OnlineStore, nowMicros } from '../../../shared/activity/onlineStore';
import { authenticate, Principal, tokenKey } from '../auth';
import { ApiError, methodNotAllowed, notAuthenticated, permissionDenied, sendJson } from '../errors';
import { GenerationCache } from '../generationCache';
import { lastValue, parseQueryString, QueryPairs } from '../queryString';
import { FilterContext, FILTERS, searchCondition } from './filters';
import { pageLinks, parsePage } from './pagination';
import { parseOrdering } from './ordering';
import { Audience, Condition, ListedRow, listUsers } from './listQuery';

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

/** The conditions of every filter given, or a 400 listing every bad one (keys in alphabetical order). */
async function readFilters(pairs: QueryPairs, endpoint: Endpoint, fctx: FilterContext): Promise<Condition[]> {
  const errors: Record<string, string[]> = {};
  const conditions: Condition[] = [];
  for (const filter of FILTERS) {
    if (filter.usersOnly && endpoint.audience !== 'staff') continue;
    const text = lastValue(pairs, filter.name);
    if (text === undefined) continue;
    const parsed = filter.read(text);
    if (parsed.ok) conditions.push(await filter.sql(parsed.value)(fctx));
    else errors[filter.name] = [parsed.message];
  }
  const names = Object.keys(errors).sort();
  if (names.length > 0) throw new ApiError(400, Object.fromEntries(names.map((n) => [n, errors[n]])));
  const search = lastValue(pairs, 'search');
  const searching = search === undefined ? null : searchCondition(search);
  return searching === null ? conditions : [...conditions, searching];
}

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
    const onlineIds = () =>
      deps.online.allOnline().catch((err) => {
        deps.logger.warn({ err, requestId: ctx.state.requestId }, 'online status unavailable');
        throw new ApiError(503, { detail: 'Online status is temporarily unavailable.' });
      });
    const conditions = await readFilters(pairs, endpoint, { schema, onlineIds });
    const { count, rows } = await listUsers(deps.db, schema, {
      audience: endpoint.audience,
      conditions,
      ordering: parseOrdering(pairs),
      page,
      details: endpoint.details,
    });
    // Without Redis the page is still served, every user offline, and the client is told (issue 5).
    const online = await deps.online.online(rows.map((r) => r.id)).catch((err) => {
      deps.logger.warn({ err, requestId: ctx.state.requestId }, 'online status unavailable');
      ctx.set('Warning', '199 rollcall "online status unavailable"');
      return new Set<string>();
    });
    const links = pageLinks(`${ctx.protocol}://${ctx.host}${ctx.path}`, pairs, page, count);
    sendJson(ctx, 200, {
      count,
      next: links.next,
      previous: links.previous,
      results: rows.map((r) => endpoint.serialize(r, online.has(r.id))),
    });
  };
}
