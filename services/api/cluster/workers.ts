// The HTTP processes of the API's primary (primary.ts): forked with Node's cluster (they share the port), told
// things in order, started again when one dies after it served, and the whole API stopped when one cannot start.
// They are forked first thing (httpWorkersFor, from cli.ts): their start then runs beside the primary's own,
// which leaves a core idle, instead of beside its index's load, which keeps both busy (docs/scaling.md). What
// they say before the primary is ready to hear it waits here; they listen once the primary answered their hello.
import cluster, { Worker } from 'node:cluster';
import type { Logger } from '../../../shared/logger';
import type { ToPrimary, ToWorker } from './protocol';
import type { Asks } from './asks';

type Hear = (from: Worker, m: ToPrimary) => void;

/** The API's HTTP processes, forked now, when this process is the primary of `rollcall api` alone with API_PROCESSES above 1. */
export function httpWorkersFor(roles: readonly string[], processes: number, logger: Logger): HttpWorkers | null {
  if (!cluster.isPrimary || roles.length !== 1 || roles[0] !== 'api' || processes <= 1) return null;
  const workers = new HttpWorkers(logger);
  workers.start(processes);
  return workers;
}

export class HttpWorkers {
  private readonly all = new Set<Worker>();
  /** Those that said hello: they hear messages (one still loading its modules drops them unheard). */
  private readonly greeted = new Set<Worker>();
  /** Those that listen: they serve. */
  private readonly listening = new Set<Worker>();
  private stopping = false;
  private hear: Hear | null = null;
  private readonly waiting: Array<[Worker, ToPrimary]> = [];

  constructor(private readonly logger: Logger) {}

  start(processes: number): void {
    cluster.setupPrimary({ serialization: 'advanced' });
    for (let i = 0; i < processes; i++) this.fork();
  }

  /** Where the processes' messages go from now on; those that came before are heard first, in order. */
  listen(hear: Hear): void {
    this.hear = hear;
    for (const [w, m] of this.waiting.splice(0)) hear(w, m);
  }

  /** The processes forked and not exited. */
  get size(): number {
    return this.all.size;
  }

  /** The processes serving HTTP now (below those asked for while one starts again). */
  get serving(): number {
    return this.listening.size;
  }

  send(w: Worker, m: ToWorker): void {
    if (w.isConnected()) w.send(m);
  }

  /**
   * Asks each process that said hello; the answers of those that gave one. A process that exits meanwhile (its
   * death not yet heard when it was asked) or does not answer within `timeoutMs` is left out, not the whole
   * failed: a scrape as a process dies answers at once, from the others.
   */
  async askEach<T>(asks: Asks<T>, message: (id: number) => ToWorker, timeoutMs: number): Promise<T[]> {
    // Only those that said hello: one still loading its modules drops what it is sent, and would be waited for.
    const answers = await Promise.all([...this.greeted].map(async (w) => {
      let asked = 0;
      const gone = () => asks.fail(asked, new Error('the process exited'));
      w.once('disconnect', gone);
      try {
        return await asks.ask((id) => {
          asked = id;
          if (!w.isConnected()) throw new Error('the process exited');
          w.send(message(id));
        }, timeoutMs);
      } catch (err) {
        this.logger.warn({ err, pid: w.process.pid }, 'an HTTP process did not answer; left out');
        return null;
      } finally {
        w.off('disconnect', gone);
      }
    }));
    return answers.filter((a): a is Awaited<T> => a !== null);
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
    w.once('listening', () => this.listening.add(w));
    // A message sent as it dies fails on its channel: without a listener, that error would stop this process.
    w.on('error', (err) => this.logger.warn({ err, pid: w.process.pid }, 'could not tell an HTTP process'));
    w.on('message', (m: ToPrimary) => {
      if (m.t === 'hello') this.greeted.add(w);
      if (this.hear === null) this.waiting.push([w, m]);
      else this.hear(w, m);
    });
    w.on('exit', (code, signal) => {
      this.all.delete(w);
      this.greeted.delete(w);
      const listened = this.listening.delete(w);
      if (this.stopping) return;
      // One that gave up before it listened will not do better a second time (the port taken, a bad setting):
      // stop, loudly. One killed (a signal: the OOM killer, an operator) is started again like any other.
      if (!listened && signal === null) {
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
