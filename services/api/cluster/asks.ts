// Questions sent over the IPC channel, each waiting for the answer with its id, or failing after a while (the
// other process died or hangs: never a request waiting forever).
export class Asks<T> {
  private next = 1;
  private readonly pending = new Map<number, { resolve: (v: T) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();

  /** Sends with a fresh id; resolves with what settle() is given for it, or rejects after `timeoutMs`. */
  ask(send: (id: number) => void, timeoutMs: number): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => this.fail(id, new Error(`no answer over IPC within ${timeoutMs} ms`)), timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      try {
        send(id);
      } catch (err) {
        this.fail(id, err as Error);
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

  /** Fails every question still waiting (the channel closed). */
  failAll(err: Error): void {
    for (const id of [...this.pending.keys()]) this.fail(id, err);
  }
}
