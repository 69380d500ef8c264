// The HTTP processes of the API's primary (primary.ts): forked with Node's cluster (they share the port), told
// things in order, started again when one dies after it served, and the whole API stopped when one cannot start.
import cluster, { Worker } from 'node:cluster';
import { Logger } from '../../../shared/logger';
import type { ToPrimary, ToWorker } from './protocol';

export class HttpWorkers {
  private readonly all = new Set<Worker>();
  /** Those that said hello: they hear messages (one still loading its modules drops them unheard). */
  private readonly greeted = new Set<Worker>();
  private stopping = false;

  constructor(private readonly logger: Logger, private readonly hear: (from: Worker, m: ToPrimary) => void) {}

  start(processes: number): void {
    cluster.setupPrimary({ serialization: 'advanced' });
    for (let i = 0; i < processes; i++) this.fork();
  }

  /** The processes that answer messages (a metrics scrape asks these, and never waits on one still starting). */
  answering(): Worker[] {
    return [...this.greeted];
  }

  send(w: Worker, m: ToWorker): void {
    if (w.isConnected()) w.send(m);
  }

  broadcast(m: ToWorker): void {
    for (const w of this.all) this.send(w, m);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.all].map((w) => new Promise<void>((resolve) => {
      w.once('exit', () => resolve());
      w.process.kill('SIGTERM');
    })));
  }

  private fork(): void {
    const w = cluster.fork();
    this.all.add(w);
    let listened = false;
    w.once('listening', () => (listened = true));
    w.on('message', (m: ToPrimary) => {
      if (m.t === 'hello') this.greeted.add(w);
      this.hear(w, m);
    });
    w.on('exit', (code, signal) => {
      this.all.delete(w);
      this.greeted.delete(w);
      if (this.stopping) return;
      // One that never listened will not do better a second time (the port taken, a bad setting): stop, loudly.
      if (!listened) {
        this.logger.error({ code, signal }, 'an HTTP process of the API exited before it listened; stopping');
        this.stopping = true;
        for (const other of this.all) other.process.kill('SIGTERM');
        return void setTimeout(() => process.exit(1), 1_000);
      }
      this.logger.error({ code, signal }, 'an HTTP process of the API exited; starting another');
      setTimeout(() => this.fork(), 1_000).unref();
    });
  }
}
