import Redis, { Command } from 'ioredis';
import { Logger } from './logger';

/**
 * How long a command may wait for its reply. Every command rollcall sends answers in well under a millisecond
 * on a healthy Redis (no blocking command is used), so this only ever fires on a Redis that hangs.
 */
export const REDIS_COMMAND_TIMEOUT_MS = 500;

/**
 * A client that connects in the background and keeps reconnecting (backing off to 5 s): a Redis that is
 * down never stops a role from starting; callers see failed commands, /readyz reports it. A Redis that
 * accepts connections but does not answer (hung, or SIGSTOPped) is treated the same way: a command that
 * times out drops the connection, which fails every command queued behind it at once, and while the
 * reconnection's ready check waits, new commands fail at once (no offline queue) instead of piling up.
 */
export function createRedis(url: string, logger?: Logger): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 2_000,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    retryStrategy: (attempt) => Math.min(attempt * 200, 5_000),
  });
  const send = redis.sendCommand.bind(redis);
  redis.sendCommand = (command: Command, stream?: Parameters<typeof send>[1]) => {
    const sent = send(command, stream);
    command.promise.catch((err: Error) => {
      // A timed-out command's reply is still owed, so everything queued behind it waits too: start over.
      if (err.message === 'Command timed out' && redis.status === 'ready') redis.disconnect(true);
    });
    return sent;
  };
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
