// ops.md, "Configuration": defaults, and one clear line naming a bad variable.
import { ConfigError, loadConfig } from '../../shared/config';

it('has the defaults of ops.md', () => {
  const c = loadConfig({});
  expect(c).toMatchObject({
    databaseUrl: 'postgres://postgres@localhost:5432/rollcall',
    redisUrl: 'redis://localhost:6379/0',
    kafka: { brokers: ['localhost:9092'], clientId: 'rollcall', groupId: 'rollcall-projector', activityGroupId: 'rollcall-projector-activity', sessionTimeoutMs: 30000 },
    topics: { events: 'user-events', activity: 'user-activity', dlq: 'user-events.dlq' },
    http: { port: 8000, host: '0.0.0.0', trustProxy: false, metricsPort: null },
    onlineWindowSeconds: 300,
    maxPageSize: 1000,
    logLevel: 'info',
    kafkaBrokersDefaulted: true,
  });
});

it('reads every variable', () => {
  const c = loadConfig({
    KAFKA_BROKERS: 'a:1, b:2', KAFKA_GROUP_ID: 'g', PORT: '9000', METRICS_PORT: '9100', TRUST_PROXY: 'true', MAX_PAGE_SIZE: '50', ONLINE_WINDOW_SECONDS: '5', IN_MEMORY_SEARCH: 'false',
  });
  expect(c).toMatchObject({ kafka: { brokers: ['a:1', 'b:2'], activityGroupId: 'g-activity' }, http: { port: 9000, trustProxy: true, metricsPort: 9100 }, maxPageSize: 50, inMemorySearch: false, onlineWindowSeconds: 5, kafkaBrokersDefaulted: false });
});

it.each([
  [{ PORT: 'eighty' }, /PORT/],
  [{ METRICS_PORT: '70000' }, /METRICS_PORT/],
  [{ DATABASE_URL: 'not a url' }, /DATABASE_URL: not a URL/],
  [{ REDIS_URL: 'http://x' }, /REDIS_URL/],
  [{ MAX_PAGE_SIZE: '0' }, /MAX_PAGE_SIZE/],
  [{ KAFKA_BROKERS: 'nohostport' }, /KAFKA_BROKERS/],
  [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
])('stops on %j with one line naming it', (env, name) => {
  let error: unknown;
  try {
    loadConfig(env);
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(ConfigError);
  expect((error as Error).message).toMatch(name);
  expect((error as Error).message).not.toContain('\n');
});
