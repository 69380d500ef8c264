// Questions sent over the IPC channel, each waiting for the answer with its id, or failing after a while (the
// other process died or hangs: never a request waiting forever).
import { serviceUnavailable } from '../errors';

/**
 * The other process out of reach: no answer in time, the question could not be sent, or too many wait already.
 * A temporary unavailability (DRF's ServiceUnavailable: 503, Retry-After), not a server error (issue 27); why,
 * in `cause`, for the logs.
 */
const unavailable = (why: string) => Object.assign(serviceUnavailable(), { cause: new Error(why) });

export class Asks<T> {
  private next = 1;
  private readonly pending = new Map<number, { resolve: (v: T) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();

  /**
   * `maxPending`: questions waiting at once, past which one is refused at once. A primary that hangs would
   * otherwise hold every request an HTTP process takes for the whole timeout, each with its memory.
   */
  constructor(private readonly maxPending: number) {}

  /** Sends with a fresh id; resolves with what settle() is given for it, or rejects (503) after `timeoutMs`. */
  ask(send: (id: number) => void, timeoutMs: number): Promise<T> {
    if (this.pending.size >= this.maxPending) return Promise.reject(unavailable(`${this.pending.size} questions over IPC wait already`));
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => this.fail(id, unavailable(`no answer over IPC within ${timeoutMs} ms`)), timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      try {
        send(id);
      } catch (err) {
        this.fail(id, Object.assign(serviceUnavailable(), { cause: err }));
      }
    });
  }

  settle(id: number, value: T): void {
    const p = this.pending.get(id);
    if (p === undefined) return; // answered after its time: the asker has moved on
    this.pending.delete(id);
    clearTimeout(p.timer);
    p.resolve(value);
  }

  fail(id: number, err: Error): void {
    const p = this.pending.get(id);
    if (p === undefined) return;
    this.pending.delete(id);
    clearTimeout(p.timer);
    p.reject(err);
  }

  /** Fails every question still waiting (the channel closed): 503s. */
  failAll(why: string): void {
    for (const id of [...this.pending.keys()]) this.fail(id, unavailable(why));
  }
}
