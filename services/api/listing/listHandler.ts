// The request lifecycle of both list endpoints: authenticate, record activity, check permission, check
// the method (DRF answers 405 only after authentication and permissions), read the online set, then the body
// (answer.ts: kept, or parse → plan and execute → render).
import { Middleware } from 'koa';
import { Logger } from '../../../shared/logger';
import { OnlineStatus } from '../../../shared/activity/onlineStore';
import type { PageSource } from './pageSource';
import { Authenticator, tokenKey } from '../auth';
import { methodNotAllowed, notAuthenticated, permissionDenied, sendJsonText } from '../errors';
import { RowRenderer } from './render';
import { GenerationCache } from '../generationCache';
import { Answers, listAnswer } from './answer';
import type { Endpoint } from './endpoint';

export type ListDeps = Readonly<{
  generations: GenerationCache;
  authenticator: Authenticator;
  online: OnlineStatus;
  pages: PageSource;
  answers: Answers;
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
  const render = new RowRenderer(endpoint.serialize);
  return async (ctx, schema) => {
    const key = tokenKey(ctx.get('Authorization') || undefined);
    if (key === null) throw notAuthenticated('Authentication credentials were not provided.');
    const principal = await deps.authenticator.authenticate(key);
    // Off the critical path: written with other callers' within a moment (shared/activity/onlineStore.ts).
    deps.online.touch(principal.id);
    if (!endpoint.allowed(principal)) throw permissionDenied();
    ctx.set('Allow', ALLOW);
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') throw methodNotAllowed(ctx.method, ALLOW);

    const online = await deps.online.snapshot().catch((err: unknown) => {
      deps.logger.debug({ err, requestId: ctx.state.requestId }, 'online status unavailable');
      return null;
    });
    const body = await listAnswer(deps, endpoint, render, { schema, base: `${ctx.protocol}://${ctx.host}${ctx.path}`, querystring: ctx.querystring, online });
    // Without Redis the page is still served, every user offline, and the client is told (issue 5).
    if (online === null) ctx.set('Warning', '199 rollcall "online status unavailable"');
    sendJsonText(ctx, 200, body);
  };
}
