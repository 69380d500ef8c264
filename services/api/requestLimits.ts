// Bounds on what a request may send before any work is done for it (issue 7): a request target over
// MAX_TARGET_BYTES gets 414, header fields over MAX_HEADER_BYTES get 431, both as DRF-shaped JSON.
// Node's parser stops a request head past PARSER_LIMIT_BYTES before Koa sees it; clientError answers
// those with 431 (the parser does not say which part overflowed), and malformed requests with DRF's 400.
import { Socket } from 'node:net';
import { Middleware } from 'koa';
import { ApiError } from './errors';

export const MAX_TARGET_BYTES = 32 * 1024;
export const MAX_HEADER_BYTES = 32 * 1024;
/** Node's maxHeaderSize (request line and header fields together): well past both limits above. */
export const PARSER_LIMIT_BYTES = 256 * 1024;

const TOO_LONG = { status: 414, reason: 'URI Too Long', detail: 'Request-URI too long.' } as const;
const TOO_LARGE = { status: 431, reason: 'Request Header Fields Too Large', detail: 'Request header fields too large.' } as const;

export function requestLimits(): Middleware {
  return async (ctx, next) => {
    if (Buffer.byteLength(ctx.req.url ?? '') > MAX_TARGET_BYTES) throw new ApiError(TOO_LONG.status, { detail: TOO_LONG.detail });
    const raw = ctx.req.rawHeaders;
    let bytes = 0;
    for (const field of raw) bytes += Buffer.byteLength(field) + 2;
    if (bytes > MAX_HEADER_BYTES) throw new ApiError(TOO_LARGE.status, { detail: TOO_LARGE.detail });
    await next();
  };
}

const MALFORMED = { status: 400, reason: 'Bad Request', detail: 'Malformed request.' } as const;

/**
 * The answer to a request Node's parser refused (the server's 'clientError'): 431 for a request head over
 * PARSER_LIMIT_BYTES, DRF's ParseError for anything malformed (e.g. raw non-ASCII bytes in the target).
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  if (!socket.writable) return void socket.destroy();
  const kind = err.code === 'HPE_HEADER_OVERFLOW' ? TOO_LARGE : MALFORMED;
  const body = JSON.stringify({ detail: kind.detail });
  socket.end(
    `HTTP/1.1 ${kind.status} ${kind.reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
