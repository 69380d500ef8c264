// The only reader of process.env. Every variable of ../shared/contract/ops.md, typed and validated once;
// a bad value stops the process with one line naming the variable (ops.md, "Configuration").
import { availableParallelism } from 'node:os';
import { cleanEnv, makeValidator, port, str, bool, EnvError, EnvMissingError } from 'envalid';

const url = (protocols: string[]) =>
  makeValidator<string>((input) => {
    let parsed: URL;
    try {
      parsed = new URL(input);
    } catch {
      throw new EnvError(`not a URL: "${input}"`);
    }
    if (!protocols.includes(parsed.protocol)) {
      throw new EnvError(`expected a ${protocols.join(' or ')} URL, got "${input}"`);
    }
    return input;
  });

const positiveInt = makeValidator<number>((input) => {
  if (!/^\d+$/.test(input.trim()) || Number(input) < 1 || !Number.isSafeInteger(Number(input))) {
    throw new EnvError(`expected a positive whole number, got "${input}"`);
  }
  return Number(input);
});

const brokerList = makeValidator<string[]>((input) => {
  const brokers = input.split(',').map((b) => b.trim()).filter((b) => b !== '');
  if (brokers.length === 0 || brokers.some((b) => !/^[^\s:]+:\d{1,5}$/.test(b))) {
    throw new EnvError(`expected host:port[,host:port...], got "${input}"`);
  }
  return brokers;
});

const specs = {
  // Unset: postgres://postgres@localhost:$PGPORT/rollcall and redis://localhost:$REDIS_PORT/0 (loadConfig).
  DATABASE_URL: url(['postgres:', 'postgresql:'])({ default: undefined }),
  REDIS_URL: url(['redis:', 'rediss:'])({ default: undefined }),
  // Not in ops.md (issue 8): the ports of those defaults (PGPORT as libpq reads it), where `rollcall all`
  // looks for a PostgreSQL and a Redis before it falls back to embedded ones.
  PGPORT: port({ default: 5432 }),
  REDIS_PORT: port({ default: 6379 }),
  // Not in ops.md (issue 8): a read replica the API reads from; everything else writes to DATABASE_URL.
  READ_DATABASE_URL: url(['postgres:', 'postgresql:'])({ default: undefined }),
  // Not in ops.md (issue 8): where the embedded PostgreSQL keeps its data.
  PGLITE_DATA_DIR: str({ default: '.local/pglite' }),
  // Not in ops.md: a prefix for every Redis key, so several deployments (or test runs) can share one Redis.
  REDIS_PREFIX: str({ default: 'rollcall:' }),
  KAFKA_BROKERS: brokerList({ default: ['localhost:9092'] }),
  KAFKA_CLIENT_ID: str({ default: 'rollcall' }),
  KAFKA_GROUP_ID: str({ default: 'rollcall-projector' }),
  // Not in ops.md: how long a consumer that died without leaving keeps its partitions (Kafka's session.timeout.ms).
  KAFKA_SESSION_TIMEOUT_MS: positiveInt({ default: 30_000 }),
  EVENTS_TOPIC: str({ default: 'user-events' }),
  ACTIVITY_TOPIC: str({ default: 'user-activity' }),
  DLQ_TOPIC: str({ default: 'user-events.dlq' }),
  PORT: port({ default: 8000 }),
  HOST: str({ default: '0.0.0.0' }),
  // Not in ops.md (issue 27): a port of its own for /metrics (on HOST), so that it need not be exposed with the
  // API; unset: /metrics is served on PORT.
  METRICS_PORT: port({ default: undefined }),
  ONLINE_WINDOW_SECONDS: positiveInt({ default: 300 }),
  MAX_PAGE_SIZE: positiveInt({ default: 1000 }),
  TRUST_PROXY: bool({ default: false }),
  // Not in ops.md: whether the API holds every user's search text and its trigrams in memory to count searches
  // (about 105 MB per million users, services/api/index/searchIndex.ts); false: PostgreSQL counts them.
  IN_MEMORY_SEARCH: bool({ default: true }),
  IN_MEMORY_INDEX: bool({ default: true }),
  // Not in ops.md: how many processes serve the API's HTTP when `rollcall api` runs alone (docs/scaling.md): one
  // more holds the index for them all. 1: one process does everything.
  API_PROCESSES: positiveInt({ default: availableParallelism() }),
  LOG_LEVEL: str({ default: 'info', choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] }),
  LOG_FORMAT: str({ default: 'auto', choices: ['auto', 'json', 'pretty'] }),
};

export type Config = Readonly<{
  databaseUrl: string;
  /** Where the API reads; DATABASE_URL unless READ_DATABASE_URL is set. */
  readDatabaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  kafka: Readonly<{ brokers: string[]; clientId: string; groupId: string; activityGroupId: string; sessionTimeoutMs: number }>;
  topics: Readonly<{ events: string; activity: string; dlq: string }>;
  /** `metricsPort`: where /metrics is served apart from PORT (METRICS_PORT); null: on PORT. */
  http: Readonly<{ port: number; host: string; trustProxy: boolean; metricsPort: number | null }>;
  onlineWindowSeconds: number;
  maxPageSize: number;
  inMemorySearch: boolean;
  /** false: the API holds no in-memory index of the users; PostgreSQL answers every request. */
  inMemoryIndex: boolean;
  /** HTTP processes of `rollcall api` alone; above 1, another holds the index (services/api/cluster/). */
  apiProcesses: number;
  logLevel: string;
  /** auto: readable lines on a terminal, JSON lines otherwise. */
  logFormat: 'auto' | 'json' | 'pretty';
  /** True when KAFKA_BROKERS was not set: `npm start` may then start the local broker. */
  kafkaBrokersDefaulted: boolean;
  /** True when DATABASE_URL / REDIS_URL were not set: `rollcall all` may then run embedded stand-ins. */
  databaseUrlDefaulted: boolean;
  redisUrlDefaulted: boolean;
  pgliteDataDir: string;
}>;

export class ConfigError extends Error {}

/** Reads and validates the environment. Throws ConfigError with one line per bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const e = cleanEnv(env, specs, {
    reporter: ({ errors }) => {
      const lines = Object.entries(errors).map(([name, err]) =>
        err instanceof EnvMissingError ? `${name} is required` : `${name}: ${err?.message ?? 'invalid'}`,
      );
      if (lines.length > 0) throw new ConfigError(`invalid configuration: ${lines.join('; ')}`);
    },
  });
  const databaseUrl = e.DATABASE_URL ?? `postgres://postgres@localhost:${e.PGPORT}/rollcall`;
  return {
    databaseUrl,
    readDatabaseUrl: e.READ_DATABASE_URL ?? databaseUrl,
    redisUrl: e.REDIS_URL ?? `redis://localhost:${e.REDIS_PORT}/0`,
    redisPrefix: e.REDIS_PREFIX,
    kafka: {
      brokers: e.KAFKA_BROKERS,
      clientId: e.KAFKA_CLIENT_ID,
      groupId: e.KAFKA_GROUP_ID,
      activityGroupId: `${e.KAFKA_GROUP_ID}-activity`,
      sessionTimeoutMs: e.KAFKA_SESSION_TIMEOUT_MS,
    },
    topics: { events: e.EVENTS_TOPIC, activity: e.ACTIVITY_TOPIC, dlq: e.DLQ_TOPIC },
    http: { port: e.PORT, host: e.HOST, trustProxy: e.TRUST_PROXY, metricsPort: e.METRICS_PORT ?? null },
    onlineWindowSeconds: e.ONLINE_WINDOW_SECONDS,
    maxPageSize: e.MAX_PAGE_SIZE,
    inMemorySearch: e.IN_MEMORY_SEARCH,
    inMemoryIndex: e.IN_MEMORY_INDEX,
    apiProcesses: e.API_PROCESSES,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT as Config['logFormat'],
    kafkaBrokersDefaulted: env.KAFKA_BROKERS === undefined || env.KAFKA_BROKERS === '',
    databaseUrlDefaulted: e.DATABASE_URL === undefined,
    redisUrlDefaulted: e.REDIS_URL === undefined,
    pgliteDataDir: e.PGLITE_DATA_DIR,
  };
}
