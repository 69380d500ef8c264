import Redis from 'ioredis';
import { Logger } from './logger';

/**
 * A client that connects in the background and keeps reconnecting (backing off to 5 s): a Redis that is
 * down never stops a role from starting; callers see failed commands, /readyz reports it.
 */
export function createRedis(url: string, logger?: Logger): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 5_000),
  });
  let down = false;
  redis.on('error', (err: Error) => {
    if (!down) logger?.warn({ error: err.message }, 'redis is unavailable; reconnecting');
    down = true;
  });
  redis.on('ready', () => {
    if (down) logger?.info('redis is available again');
    down = false;
  });
  return redis;
}

/** Resolves once the client is connected (for callers that must not start degraded, such as tests). */
export function redisReady(redis: Redis): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => redis.once('ready', () => resolve()));
}
