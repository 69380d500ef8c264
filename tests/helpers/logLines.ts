// A logger whose lines a test can read: the real pino logger, writing JSON lines to an array.
import { createLogger, Logger } from '../../shared/logger';

export type LoggedLine = { level: number; msg: string } & Record<string, unknown>;

export function capturingLogger(level = 'info'): { logger: Logger; lines: LoggedLine[] } {
  const lines: LoggedLine[] = [];
  const logger = createLogger(level, { destination: { write: (line: string) => void lines.push(JSON.parse(line) as LoggedLine) } });
  return { logger, lines };
}
