/**
 * Runs an idempotent catch-up (read what changed since last time) one at a time, so that each caller waits for
 * a run that started after it called (it sees every write made before its call), and callers arriving while
 * one runs share the next run rather than queueing one each.
 */
export class CoalescedRuns<K, T> {
  private running: Promise<unknown> = Promise.resolve();
  private pending: { key: K; run: Promise<T> } | null = null;

  constructor(private readonly work: (key: K) => Promise<T>) {}

  run(key: K): Promise<T> {
    if (this.pending !== null && this.pending.key === key) return this.pending.run;
    const run = this.running.then(() => {
      if (this.pending?.run === run) this.pending = null;
      return this.work(key);
    });
    this.pending = { key, run };
    this.running = run.catch(() => undefined);
    return run;
  }
}
