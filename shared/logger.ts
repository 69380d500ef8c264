import pino from 'pino';

export type Logger = pino.Logger;

/**
 * JSON lines (pipe through `npx pino-pretty` to read them); secrets never reach a log line. Roles log to
 * stdout; one-shot commands (seed, migrate) to stderr, keeping their stdout for their output.
 */
export function createLogger(level: string, opts: { name?: string; stderr?: boolean; destination?: pino.DestinationStream } = {}): Logger {
  return pino(
    {
      name: opts.name ?? 'rollcall',
      level,
      redact: { paths: ['req.headers.authorization', 'headers.authorization', 'token'], censor: '[redacted]' },
    },
    opts.destination ?? pino.destination(opts.stderr ? 2 : 1),
  );
}
