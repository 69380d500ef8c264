// The shadow mode's waiting room: comparisons wait here for one of a fixed number of workers; when it is full a
// new one is refused at once (the caller counts it skipped), so nothing a client does ever waits on rollcall.

export class ShadowQueue<T> {
  private readonly waiting: T[] = [];
  private readonly idle: Array<() => void> = [];
  private running = true;
  private readonly workers: Promise<void>[];

  constructor(private readonly bound: number, concurrency: number, private readonly work: (item: T) => Promise<void>) {
    this.workers = Array.from({ length: concurrency }, () => this.worker());
  }

  get length(): number {
    return this.waiting.length;
  }

  /** Whether `item` was taken (false: the queue is full). */
  offer(item: T): boolean {
    if (this.waiting.length >= this.bound) return false;
    this.waiting.push(item);
    this.idle.shift()?.();
    return true;
  }

  /** Stops taking work; resolves when the workers finished what they hold, or after `ms`. */
  async stop(ms: number): Promise<void> {
    this.running = false;
    this.idle.splice(0).forEach((wake) => wake());
    await Promise.race([Promise.all(this.workers), new Promise((r) => setTimeout(r, ms).unref())]);
  }

  private async worker(): Promise<void> {
    while (this.running) {
      const item = this.waiting.shift();
      if (item === undefined) await new Promise<void>((r) => this.idle.push(r));
      else await this.work(item);
    }
  }
}
