// Where a load's trigram bitmaps are built. A large load splits its slots in two once its texts are read: the
// larger share on a thread of its own (trigramWorker.ts), handed over as the build begins, the rest here after
// the flags', days' and groups' bitmaps: on two cores, where the read before kept both busy (PostgreSQL's COPY
// and this thread) and the build after it left one idle. A small load, or one whose thread cannot start or
// fails, is built here alone, in turns. docs/decisions.md says what was measured.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { RoaringBitmap32 } from 'roaring';
import { FieldsOf, TrigramLists, CHUNK } from './trigrams';
import { TextChunk, transferablesOf } from './textChunk';
import { eachUnpacked, FromTrigramWorker, ToTrigramWorker } from './trigramPack';

/** What the build reads: the texts' fields here, or a chunk of them for the thread. */
export type TextSource = Readonly<{ fieldsOf: FieldsOf; chunk: (first: number, end: number) => TextChunk }>;

/** Loads of fewer users are built here alone: the thread's start and hand-over would cost more than it saves. */
export const SPLIT_FROM = 4 * CHUNK;

/**
 * The share of the slots built here when split: the rest goes to the thread at once, which builds it while this
 * one builds the flags', days' and groups' bitmaps, then its own share (measured on two cores: both done
 * together at about three eighths).
 */
const MINE = 3 / 8;

export class TrigramBuild {
  private readonly thread: { worker: Worker; answer: Promise<FromTrigramWorker> } | null;
  /** Slots [0, mine) are built here, [mine, size) on the thread. */
  private readonly mine: number;

  /**
   * For `size` users whose texts are all read: from SPLIT_FROM users the thread starts now and is handed its
   * share at once; else every slot is built here.
   */
  constructor(private readonly size: number, private readonly texts: TextSource, script = workerScript()) {
    this.thread = size >= SPLIT_FROM && script !== null ? startThread(script) : null;
    this.mine = this.thread === null ? size : Math.min(size, Math.ceil((size * MINE) / CHUNK) * CHUNK);
    if (this.thread !== null) handOver(this.thread.worker, texts, this.mine, size);
  }

  /** Whether a second thread builds part of it. */
  get split(): boolean {
    return this.thread !== null;
  }

  /** The trigram bitmaps of every slot; the thread is stopped after, whatever happened. */
  async build(): Promise<Map<number, RoaringBitmap32>> {
    try {
      return await this.built();
    } finally {
      this.cancel();
    }
  }

  /** Stops the thread (the load failed before its build; or the build is done). */
  cancel(): void {
    void this.thread?.worker.terminate();
  }

  private async built(): Promise<Map<number, RoaringBitmap32>> {
    const { size, mine, texts } = this;
    const lists = new TrigramLists();
    await lists.addRange(0, mine, texts.fieldsOf);
    const theirs = this.thread === null || mine >= size ? null : await this.thread.answer;
    if (theirs?.t === 'failed') await lists.addRange(mine, size, texts.fieldsOf);
    const built = await lists.finish();
    // Their slots all follow ours: each of their bitmaps is appended to ours.
    if (theirs?.t === 'built') await eachUnpacked(theirs, (key, bitmap) => (built.has(key) ? built.get(key)?.orInPlace(bitmap) : built.set(key, bitmap)));
    return built;
  }
}

function handOver(worker: Worker, texts: TextSource, first: number, end: number): void {
  if (first >= end) return;
  for (let from = first; from < end; from += CHUNK) {
    const chunk = texts.chunk(from, Math.min(end, from + CHUNK));
    worker.postMessage({ t: 'chunk', chunk } satisfies ToTrigramWorker, transferablesOf(chunk));
  }
  worker.postMessage({ t: 'finish' } satisfies ToTrigramWorker);
}

function startThread(script: string): { worker: Worker; answer: Promise<FromTrigramWorker> } | null {
  try {
    const worker = new Worker(script);
    // Never what keeps a process from exiting.
    worker.unref();
    const answer = new Promise<FromTrigramWorker>((resolve) => {
      worker.once('message', resolve);
      worker.once('error', (err) => resolve({ t: 'failed', message: err.message }));
      worker.once('exit', (code) => resolve({ t: 'failed', message: `the trigram thread exited with ${code}` }));
    });
    return { worker, answer };
  } catch {
    return null;
  }
}

/**
 * The thread's script: beside this file once built; under ts-jest (this file is TypeScript) the build's copy,
 * which `npm test` makes first. Null when there is none: built here alone.
 */
function workerScript(): string | null {
  const here = path.join(__dirname, 'trigramWorker.js');
  if (existsSync(here)) return here;
  const built = path.join(__dirname, '../../../dist/services/api/index/trigramWorker.js');
  return existsSync(built) ? built : null;
}
