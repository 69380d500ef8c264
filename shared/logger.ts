import pino from 'pino';

export type Logger = pino.Logger;

/** JSON lines on stdout (pipe through `npx pino-pretty` to read them). Secrets never reach a log line. */
export function createLogger(level: string, name = 'rollcall'): Logger {
  return pino({
    name,
    level,
    redact: { paths: ['req.headers.authorization', 'headers.authorization', 'token'], censor: '[redacted]' },
  });
}
