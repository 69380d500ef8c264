// The import's progress on a terminal (cli-progress, on stderr); nothing elsewhere: the summary says it all.
import { SingleBar } from 'cli-progress';

export type ImportProgress = { reading: (rows: number) => void; publishing: (done: number, total: number) => void; stop: () => void };

export function importProgress(interactive: boolean): ImportProgress {
  if (!interactive) return { reading: () => undefined, publishing: () => undefined, stop: () => undefined };
  let started = Date.now();
  const rate = (n: number) => Math.round(n / Math.max(0.001, (Date.now() - started) / 1000));
  let bar: SingleBar | undefined;
  let phase: 'reading' | 'publishing' | undefined;
  const show = (next: 'reading' | 'publishing', format: string, total: number) => {
    if (phase === next) return bar as SingleBar;
    bar?.stop();
    phase = next;
    started = Date.now();
    bar = new SingleBar({ format, stream: process.stderr, etaBuffer: 50 });
    bar.start(total, 0, { rate: 0 });
    return bar;
  };
  return {
    reading: (rows) => {
      if (rows % 1000 === 0) show('reading', 'reading the dump | {value} rows | {rate} rows/s', 0).update(rows, { rate: rate(rows) });
    },
    publishing: (done, total) => {
      if (done % 1000 === 0 || done === total) show('publishing', 'importing {bar} {value}/{total} users | {rate} users/s | ETA {eta_formatted}', total).update(done, { rate: rate(done) });
    },
    stop: () => bar?.stop(),
  };
}
