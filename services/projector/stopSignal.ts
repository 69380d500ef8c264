// How a stopping projector gives up on work that cannot finish: a dead letter's send retries for ever while
// Kafka is down (an idempotent producer must), inside an open PostgreSQL transaction, and a stop must still
// end within ops.md's 10 s. Work raced against this signal fails once the grace period is over, so its
// transaction rolls back and the batch is applied again after the restart.

export class StoppedError extends Error {
  constructor() {
    super('the projector is stopping: the batch is rolled back and applied after the restart');
  }
}

export class StopSignal {
  private abandon: (err: StoppedError) => void = () => undefined;
  private readonly abandoned: Promise<never>;
  private timer: NodeJS.Timeout | undefined;

  constructor() {
    this.abandoned = new Promise<never>((_, reject) => (this.abandon = reject));
    // Observed by every race below; without this, a stop with no work in hand would be an unhandled rejection.
    this.abandoned.catch(() => undefined);
  }

  /** Work still running graceMs from now is abandoned. */
  stopAfter(graceMs: number): void {
    this.timer ??= setTimeout(() => this.abandon(new StoppedError()), graceMs);
  }

  /** The work, or a StoppedError once the grace period of a stop is over. */
  race<T>(work: Promise<T>): Promise<T> {
    return Promise.race([work, this.abandoned]);
  }

  clear(): void {
    clearTimeout(this.timer);
  }
}
