// Replay progress: a bar on a terminal (cli-progress), a log line every few seconds otherwise.
import { SingleBar } from 'cli-progress';
import { Logger } from '../../shared/logger';

export type Progress = { update: (done: number, total: number) => void; stop: () => void };

export function replayProgress(logger: Logger, interactive: boolean): Progress {
  const started = Date.now();
  const rate = (done: number) => Math.round(done / Math.max(0.001, (Date.now() - started) / 1000));
  if (interactive) {
    const bar = new SingleBar({ format: 'replay {bar} {value}/{total} events | {rate} events/s | ETA {eta_formatted}', etaBuffer: 50, stream: process.stderr });
    bar.start(1, 0, { rate: 0 });
    return {
      update: (done, total) => {
        bar.setTotal(Math.max(total, 1));
        bar.update(done, { rate: rate(done) });
      },
      stop: () => bar.stop(),
    };
  }
  let lastLog = 0;
  return {
    update: (done, total) => {
      if (Date.now() - lastLog < 5_000) return;
      lastLog = Date.now();
      const r = rate(done);
      logger.info({ done, total, eventsPerSecond: r, etaSeconds: r > 0 ? Math.round((total - done) / r) : null }, 'replay progress');
    },
    stop: () => undefined,
  };
}
