// One request to one service, as a client sends it: its Authorization header when it has one, redirects not
// followed (the 301 and its Location are compared), and a bound on the whole exchange, body included.
import { Answer, mediaTypeOf } from './answers';

export class RequestFailed extends Error {}

/** The Authorization header a role's token makes (none without a token). */
export const tokenHeader = (token: string | null) => (token === null ? null : `Token ${token}`);

/** GET `target` (path and query) at `base`'s origin; throws RequestFailed on a timeout or a network error. */
export async function fetchAnswer(base: string, target: string, authorization: string | null, timeoutMs: number, accept = 'application/json'): Promise<Answer> {
  const url = new URL(target, new URL(base).origin);
  const headers: Record<string, string> = { accept };
  if (authorization !== null) headers.authorization = authorization;
  try {
    const res = await fetch(url, { headers, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    const body = await res.text();
    return { status: res.status, mediaType: mediaTypeOf(res.headers.get('content-type')), location: res.headers.get('location'), body };
  } catch (err) {
    // Only the cause's name: a message could echo the request, and the request is never logged with its token.
    const e = err as { name?: string; cause?: { code?: string } };
    const why = e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (e.cause?.code ?? e.name ?? 'network error');
    throw new RequestFailed(why);
  }
}
