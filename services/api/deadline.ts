// Nothing hangs (issue 25): a request that can be answered neither from memory known to be current nor from
// PostgreSQL within REQUEST_DEADLINE_MS gets DRF's 503 with Retry-After. A silenced connection (a NAT's idle
// timeout, a failover) fails no query: it waits for ever, and without a bound so would the client.
import { Middleware } from 'koa';
import { serviceUnavailable } from './errors';

export const REQUEST_DEADLINE_MS = 2_000;

export function deadline(ms = REQUEST_DEADLINE_MS): Middleware {
  return async (ctx, next) => {
    let timer: NodeJS.Timeout | undefined;
    const work = next();
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(serviceUnavailable()), ms);
    });
    try {
      await Promise.race([work, late]);
    } finally {
      clearTimeout(timer);
      // The work goes on unheard once the client has its 503 (what it writes to ctx then is ignored): its
      // failure, if it fails, is no longer anyone's to answer.
      work.catch(() => undefined);
    }
  };
}
