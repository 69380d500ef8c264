// The physical floors the projector and replay benchmarks print beside their figures.
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable, Writable } from 'node:stream';
import { activeGeneration } from '../projections/generations';
import { createReadModel, table } from '../projections/readModel';
import { USER_COLUMNS } from '../projections/users/userRow';
import { Bench, seconds } from './kit';

/** Kafka's raw consume rate of the events topic: kafkajs reading and counting, parsing nothing. */
export async function rawConsumeRate(b: Bench, total: number): Promise<number> {
  const consumer = b.kafka.consumer({ groupId: `${b.config.kafka.groupId}-raw`, maxBytesPerPartition: 4 << 20, maxWaitTimeInMs: 500 });
  await consumer.connect();
  await consumer.subscribe({ topic: b.config.topics.events, fromBeginning: true });
  let count = 0;
  let started = 0n;
  const done = new Promise<number>((resolve) => {
    void consumer.run({
      eachBatch: async ({ batch }) => {
        if (started === 0n) started = process.hrtime.bigint();
        count += batch.messages.length;
        if (count >= total) resolve(seconds(started));
      },
    });
  });
  const elapsed = await done;
  await consumer.disconnect();
  return total / elapsed;
}

/** PostgreSQL's COPY of the serving generation's user rows into a fresh table with the same indexes. */
export async function copyRate(b: Bench, total: number): Promise<{ rows: number; seconds: number; rowsPerSecond: number; eventsPerSecond: number }> {
  const gen = await activeGeneration(b.db);
  const columns = USER_COLUMNS.map(([c]) => c).join(', ');
  const client = await b.db.client.acquireConnection();
  try {
    await client.query('set statement_timeout = 0'); // a million rows into twelve indexes take longer than 30 s
    const chunks: Buffer[] = [];
    await pipeline(client.query(copyTo(`copy (select ${columns} from ${table(gen.schema, 'users')}) to stdout`)), new Writable({
      write(chunk, _enc, cb) { chunks.push(chunk); cb(); },
    }));
    await createReadModel(b.db, 'gen_999');
    const rows = Number((await b.db.raw(`select count(*) from ${table(gen.schema, 'users')}`)).rows[0].count);
    const started = process.hrtime.bigint();
    await pipeline(Readable.from(chunks), client.query(copyFrom(`copy ${table('gen_999', 'users')} (${columns}) from stdin`)));
    const elapsed = seconds(started);
    return { rows, seconds: elapsed, rowsPerSecond: rows / elapsed, eventsPerSecond: total / elapsed };
  } finally {
    await b.db.client.releaseConnection(client);
  }
}
