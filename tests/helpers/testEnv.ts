// Per test file: its own database (cloned from the run's template), its own topics, consumer groups and
// Redis prefix, so test files run side by side on the same servers without seeing each other.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Knex } from 'knex';
import Redis from 'ioredis';
import { Kafka } from 'kafkajs';
import { Config, loadConfig } from '../../shared/config';
import { createDatabaseIfMissing, createDb, quoteIdent } from '../../shared/db';
import { migrate } from '../../projections/migrate';
import { createRedis, redisReady } from '../../shared/redis';
import { createKafka, ensureTopicsWith } from '../../shared/kafka';
import { createLogger, Logger } from '../../shared/logger';
import { databaseUrlFor, runId, TEMPLATE_DB_VAR } from './runEnv';

export type TestEnv = {
  config: Config;
  /** The environment that produced config: hand it to child processes. */
  env: NodeJS.ProcessEnv;
  db: Knex;
  redis: Redis;
  kafka: Kafka;
  logger: Logger;
  close: () => Promise<void>;
};

export async function createTestEnv(overrides: NodeJS.ProcessEnv = {}): Promise<TestEnv> {
  const id = runId();
  const unique = randomBytes(4).toString('hex');
  const database = `rollcall_test_${id}_${unique}`;
  // A test that brings its own PostgreSQL (tests/helpers/ownServers.ts) migrates its database there.
  const ownDatabase = overrides.DATABASE_URL !== undefined;
  if (!ownDatabase) await cloneTemplate(database);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrlFor(database),
    REDIS_PREFIX: `rollcall:test:${id}:${unique}:`,
    EVENTS_TOPIC: `user-events-${id}-${unique}`,
    ACTIVITY_TOPIC: `user-activity-${id}-${unique}`,
    DLQ_TOPIC: `user-events.dlq-${id}-${unique}`,
    KAFKA_GROUP_ID: `rollcall-projector-${id}-${unique}`,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...overrides,
  };
  const config = loadConfig(env);
  const logger = createLogger(config.logLevel, { name: 'test' });
  if (ownDatabase) await createDatabaseIfMissing(config.databaseUrl);
  const db = createDb(config.databaseUrl, { min: 0, max: 10 });
  if (ownDatabase) await migrate(db, config.databaseUrl);
  const redis = createRedis(config.redisUrl);
  await redisReady(redis);
  const kafka = createKafka(config, logger);
  await ensureTopicsWith(kafka, config);
  return {
    config, env, db, redis, kafka, logger,
    close: async () => {
      await db.destroy();
      redis.disconnect();
    },
  };
}

async function cloneTemplate(name: string): Promise<void> {
  const template = process.env[TEMPLATE_DB_VAR] as string;
  const client = new pg.Client({ connectionString: databaseUrlFor('postgres') });
  await client.connect();
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(`create database ${quoteIdent(name)} template ${quoteIdent(template)}`);
        return;
      } catch (err) {
        // 55006: another clone of the template is in progress; they queue here.
        if ((err as { code?: string }).code !== '55006' || attempt >= 50) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } finally {
    await client.end();
  }
}
