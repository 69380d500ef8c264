// The shadow mode's side of verdictWorker.ts: answers sent to the thread, verdicts back, in any order by id.
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { Answer, Bases, Outcome, Verdict } from './answers';
import { Difference, parseLossless } from './jsonDiff';
import type { Judged } from './verdictWorker';

export class VerdictThread {
  private readonly worker = new Worker(path.join(__dirname, 'verdictWorker.js'));
  private readonly pending = new Map<number, { resolve: (v: Verdict) => void; reject: (e: Error) => void }>();
  private nextId = 0;

  constructor() {
    this.worker.on('message', (m: Judged) => {
      const found = parseLossless(m.findings) as { differences: Difference[]; online: Difference[] };
      this.settle(m.id)?.resolve({ outcome: m.outcome as Outcome, ...found });
    });
    this.worker.on('error', (err) => [...this.pending.keys()].forEach((id) => this.settle(id)?.reject(err)));
  }

  judge(reference: Answer, candidate: Answer, bases: Bases): Promise<Verdict> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, reference, candidate, bases });
    });
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }

  private settle(id: number) {
    const p = this.pending.get(id);
    this.pending.delete(id);
    return p;
  }
}
