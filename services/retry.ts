import { Logger } from '../shared/logger';

/**
 * Runs fn until it succeeds, waiting 0.5 s, 1 s, 2 s ... (at most 10 s) between tries and logging one line
 * per failure: a dependency that is down at start is waited for, not a crash loop (ops.md).
 */
export async function withRetry<T>(what: string, fn: () => Promise<T>, logger: Logger, signal?: AbortSignal): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (signal?.aborted) throw err;
      const delayMs = Math.min(500 * 2 ** (attempt - 1), 10_000);
      logger.warn({ attempt, retryInMs: delayMs, error: (err as Error).message }, `${what} is not available yet; retrying`);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
