// Every error leaves as DRF-shaped JSON; handlers throw ApiError. Anything else is logged with the request id
// and answered with a generic 500 (api.md: no stack trace or SQL ever reaches a client).
import { Middleware } from 'koa';
import { randomUUID } from 'node:crypto';
import { OutageLog } from './outageLog';
import { Logger } from '../../shared/logger';
import { stringifyDrf } from '../../shared/json';
import { isTransient } from '../retry';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body.detail === 'string' ? body.detail : `HTTP ${status}`);
  }
}

export const notAuthenticated = (detail: string) => new ApiError(401, { detail }, { 'WWW-Authenticate': 'Token' });
export const permissionDenied = () => new ApiError(403, { detail: 'You do not have permission to perform this action.' });
export const notFound = () => new ApiError(404, { detail: 'Not found.' });
export const methodNotAllowed = (method: string, allow: string) =>
  new ApiError(405, { detail: `Method "${method}" not allowed.` }, { Allow: allow });

/** DRF's ServiceUnavailable: a dependency (PostgreSQL) cannot be reached right now; the client may retry. */
export const serviceUnavailable = () =>
  new ApiError(503, { detail: 'Service temporarily unavailable, try again later.' }, { 'Retry-After': '1' });

type JsonContext = { status: number; body: unknown; set(field: string, value: string): void };

export function sendJson(ctx: JsonContext, status: number, body: unknown): void {
  sendJsonText(ctx, status, stringifyDrf(body));
}

/** A body already written as DRF writes JSON (listing/render.ts), as text or its UTF-8 bytes. */
export function sendJsonText(ctx: JsonContext, status: number, text: string | Buffer): void {
  ctx.status = status;
  ctx.set('Content-Type', 'application/json');
  ctx.body = text;
}

const SAFE_REQUEST_ID = /^[\x21-\x7e]{1,200}$/;

/** Keeps the client's X-Request-Id (when it is printable and short) or makes one; echoes it on every response. */
export function requestId(): Middleware {
  return async (ctx, next) => {
    const given = ctx.get('X-Request-Id');
    const id = SAFE_REQUEST_ID.test(given) ? given : randomUUID();
    ctx.state.requestId = id;
    ctx.set('X-Request-Id', id);
    await next();
  };
}

export function errorHandler(logger: Logger): Middleware {
  const outage = new OutageLog(logger);
  return async (ctx, next) => {
    try {
      await next();
      outage.available();
      if (ctx.status === 404 && ctx.body === undefined) throw notFound();
    } catch (thrown) {
      let err = thrown;
      // PostgreSQL out of reach (down, restarting, connections killed, pool wait over): 503, not 500.
      if (!(err instanceof ApiError) && isTransient(err)) {
        outage.unavailable(err, ctx.state.requestId as string, ctx.path);
        err = serviceUnavailable();
      }
      if (err instanceof ApiError) {
        for (const [k, v] of Object.entries(err.headers)) ctx.set(k, v);
        sendJson(ctx, err.status, err.body);
        return;
      }
      logger.error({ err, requestId: ctx.state.requestId, method: ctx.method, path: ctx.path }, 'request failed');
      sendJson(ctx, 500, { detail: 'A server error occurred.' });
    }
  };
}
