// How many messages of a fetched batch one transaction takes, per partition. Normally all of them. A batch
// that failed is taken again by halves, down to one message: a batch whose transaction is slower than
// PostgreSQL's statement_timeout, or too large in any other way, would otherwise roll back and come again
// whole, for ever (issue 16). After a success the limit doubles back.

/** A limit that reaches this is dropped: no fetched batch holds more messages. */
const UNLIMITED = 1 << 20;

export class BatchLimits {
  private readonly limits = new Map<number, number>();

  /** The first messages of the batch that the next transaction of this partition takes. */
  take<T>(partition: number, messages: readonly T[]): readonly T[] {
    const limit = this.limits.get(partition);
    return limit === undefined || limit >= messages.length ? messages : messages.slice(0, limit);
  }

  failed(partition: number, tried: number): void {
    this.limits.set(partition, Math.max(1, Math.floor(tried / 2)));
  }

  succeeded(partition: number): void {
    const limit = this.limits.get(partition);
    if (limit === undefined) return;
    if (limit * 2 >= UNLIMITED) this.limits.delete(partition);
    else this.limits.set(partition, limit * 2);
  }
}
