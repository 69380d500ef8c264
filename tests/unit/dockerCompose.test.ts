// No Docker engine runs here, so docker-compose.yml is checked by reading it: the services, the wiring of
// every ops.md variable, and the topics with events.md's retention.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const root = path.join(__dirname, '../..');
const compose = parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true });
const services = compose.services as Record<string, any>;

it('runs Kafka 3.9 (KRaft), PostgreSQL 16, Redis 7 and the three roles', () => {
  expect(services.kafka.image).toMatch(/^apache\/kafka:3\.9/);
  expect(services.kafka.environment.KAFKA_PROCESS_ROLES).toBe('broker,controller');
  expect(services.postgres.image).toBe('postgres:16');
  expect(services.redis.image).toBe('redis:7');
  expect(services.api.command).toEqual(['api']);
  expect(services.projector.command).toEqual(['project']);
  expect(services.activity.command).toEqual(['activity']);
});

it('gives each role every ops.md variable, pointing at the compose services', () => {
  const vars = ['DATABASE_URL', 'REDIS_URL', 'KAFKA_BROKERS', 'KAFKA_CLIENT_ID', 'KAFKA_GROUP_ID', 'EVENTS_TOPIC', 'ACTIVITY_TOPIC',
    'DLQ_TOPIC', 'PORT', 'HOST', 'ONLINE_WINDOW_SECONDS', 'MAX_PAGE_SIZE', 'TRUST_PROXY', 'LOG_LEVEL'];
  for (const role of ['api', 'projector', 'activity']) {
    const env = services[role].environment;
    expect(Object.keys(env).sort()).toEqual([...vars].sort());
    expect(new URL(env.DATABASE_URL).hostname).toBe('postgres');
    expect(new URL(env.REDIS_URL).hostname).toBe('redis');
    expect(env.KAFKA_BROKERS).toBe('kafka:9092');
    expect(Object.keys(services[role].depends_on).sort()).toEqual(['kafka-topics', 'postgres', 'redis']);
  }
});

it('creates the topics with the retention of events.md', () => {
  const script: string = services['kafka-topics'].command.join('\n');
  const retention = (topic: string) => new RegExp(`--topic ${topic.replace('.', '\\.')} .*--config retention\\.ms=(\\S+)`).exec(script)?.[1];
  expect(retention('user-events')).toBe('-1');
  expect(retention('user-activity')).toBe(String(24 * 3600 * 1000));
  expect(retention('user-events.dlq')).toBe('-1');
});

it('names only services that exist in depends_on', () => {
  for (const [name, svc] of Object.entries(services)) {
    for (const dep of Object.keys(svc.depends_on ?? {})) expect({ name, dep, exists: dep in services }).toEqual({ name, dep, exists: true });
  }
});

it('builds an image whose entry point is the rollcall command', () => {
  const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
  expect(dockerfile).toMatch(/^FROM node:20/m);
  expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "bin\/rollcall\.js"\]$/m);
});
