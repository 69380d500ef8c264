// The command-line side of `rollcall events check`: where the lines come from, how the report is printed, the
// exit code (0 when nothing would be dead-lettered, 1 when something would, 2 for a bad call).
import { readFileSync } from 'node:fs';
import { checkEvents, formatReport } from './check';

export const EVENTS_USAGE = 'usage: rollcall events check [FILE|-] [--json]   (key<TAB>value lines; - or none: standard input)';

export function eventsCommand(args: readonly string[]): number {
  const [sub, ...rest] = args;
  const files = rest.filter((a) => a !== '--json');
  if (sub !== 'check' || files.length > 1 || files.some((f) => f.startsWith('--'))) {
    process.stderr.write(`${EVENTS_USAGE}\n`);
    return 2;
  }
  const file = files[0] ?? '-';
  const text = readFileSync(file === '-' ? 0 : file, 'utf8');
  const report = checkEvents(text);
  process.stdout.write(rest.includes('--json') ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
  return report.summary['dead-lettered'] > 0 ? 1 : 0;
}
