// Once per run: drops the run's databases, Redis keys and Kafka topics; nothing of another run is touched.
import pg from 'pg';
import Redis from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { dropDatabase } from '../../shared/db';
import { baseDatabaseUrl, databaseUrlFor, runId } from './runEnv';

export default async function globalTeardown(): Promise<void> {
  const id = runId();
  const admin = new pg.Client({ connectionString: databaseUrlFor('postgres') });
  await admin.connect();
  const { rows } = await admin.query<{ datname: string }>('select datname from pg_database where datname like $1', [`rollcall_test_${id}%`]);
  await admin.end();
  for (const { datname } of rows) await dropDatabase(baseDatabaseUrl(), datname);

  const redis = new Redis(process.env.REDIS_URL ?? 'redis://localhost:6379/0');
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `rollcall:test:${id}:*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  await redis.quit();

  const kafka = new Kafka({ brokers: (process.env.KAFKA_BROKERS ?? 'localhost:9092').split(','), logLevel: logLevel.NOTHING });
  const kadmin = kafka.admin();
  await kadmin.connect();
  const topics = (await kadmin.listTopics()).filter((t) => t.includes(`-${id}-`));
  if (topics.length > 0) await kadmin.deleteTopics({ topics });
  await kadmin.disconnect();
}
