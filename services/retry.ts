import { Logger } from '../shared/logger';

const TRANSIENT_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'EPIPE',
  '57P01', // PostgreSQL: admin_shutdown (the server is stopping, or pg_terminate_backend)
  '57P02', // PostgreSQL: crash_shutdown
  '57P03', // PostgreSQL: cannot_connect_now (starting up)
  '53300', // PostgreSQL: too_many_connections
  '08000', '08001', '08003', '08004', '08006', // PostgreSQL: connection_exception and its kinds
]);

/** A failure to reach a dependency, worth waiting for; anything else is a fault to report. */
export function isTransient(err: unknown): boolean {
  const e = err as { code?: string; retriable?: boolean; name?: string; message?: string; errors?: unknown[] };
  if (e.code !== undefined && TRANSIENT_CODES.has(e.code)) return true;
  if (Array.isArray(e.errors) && e.errors.some(isTransient)) return true; // AggregateError (IPv4 + IPv6)
  if (e.retriable === true || /^KafkaJS(Connection|NumberOfRetriesExceeded|BrokerNotFound)/.test(e.name ?? '')) return true;
  return /Knex: Timeout acquiring a connection|Connection terminated|the database system is (starting up|shutting down)/.test(e.message ?? '');
}

/**
 * Runs fn until it succeeds, waiting 0.5 s, 1 s, 2 s ... (at most 10 s) between tries and logging one line
 * per failure: a dependency that is down at start is waited for, not a crash loop (ops.md). An error that
 * is not about reaching the dependency is thrown at once.
 */
export async function withRetry<T>(what: string, fn: () => Promise<T>, logger: Logger): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isTransient(err)) throw err;
      const delayMs = Math.min(500 * 2 ** (attempt - 1), 10_000);
      logger.warn({ attempt, retryInMs: delayMs, error: (err as Error).message }, `${what} is not available yet; retrying`);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
