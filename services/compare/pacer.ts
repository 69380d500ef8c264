// How compare stays gentle with a production service: at most `concurrency` requests in flight, and their
// starts spaced to at most `rate` a second, evenly (no bursts after a slow answer).

export type Pace = { concurrency: number; rate: number };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Calls `work` for each item, paced; items are pulled only as workers free up, so a long stream stays small. */
export async function forEachPaced<T>(items: AsyncIterable<T> | Iterable<T>, pace: Pace, work: (item: T) => Promise<void>): Promise<void> {
  const source = Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : toAsync(items[Symbol.iterator]());
  const gap = 1000 / pace.rate;
  let nextStart = Date.now();
  let done = false;
  const pull = async (): Promise<T | undefined> => {
    if (done) return undefined;
    const next = await source.next();
    if (next.done) done = true;
    return next.done ? undefined : next.value;
  };
  const worker = async () => {
    for (;;) {
      const item = await pull();
      if (item === undefined && done) return;
      const now = Date.now();
      const wait = nextStart - now;
      nextStart = Math.max(now, nextStart) + gap;
      if (wait > 0) await sleep(wait);
      await work(item as T);
    }
  };
  await Promise.all(Array.from({ length: pace.concurrency }, worker));
}

function toAsync<T>(it: Iterator<T>): AsyncIterator<T> {
  return { next: async () => it.next() };
}
