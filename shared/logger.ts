import pino from 'pino';

export type Logger = pino.Logger;
export type LogFormat = 'auto' | 'json' | 'pretty';

/**
 * JSON lines, or on a terminal (LOG_FORMAT=auto) readable lines through pino-pretty, run as pino's transport
 * in a worker thread so nobody has to remember a pipe. Secrets never reach a log line. Roles log to stdout;
 * one-shot commands (seed, migrate) to stderr, keeping their stdout for their output.
 */
export function createLogger(
  level: string,
  opts: { name?: string; stderr?: boolean; destination?: pino.DestinationStream; format?: LogFormat } = {},
): Logger {
  const fd = opts.stderr ? 2 : 1;
  const options: pino.LoggerOptions = {
    name: opts.name ?? 'rollcall',
    level,
    redact: { paths: ['req.headers.authorization', 'headers.authorization', 'token'], censor: '[redacted]' },
  };
  if (opts.destination !== undefined) return pino(options, opts.destination);
  const tty = (fd === 1 ? process.stdout : process.stderr).isTTY === true;
  const pretty = opts.format === 'pretty' || (opts.format === 'auto' && tty);
  if (!pretty) return pino(options, pino.destination(fd));
  return pino(options, pino.transport({
    target: 'pino-pretty',
    options: { destination: fd, colorize: tty, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,name', singleLine: true },
  }));
}
