// `rollcall replay [--keep-old]` (ops.md): rebuilds the read model from offset 0 of the events topic into a new
// generation beside the serving one, which keeps serving (and a running projector keeps feeding) meanwhile;
// switches over in one transaction once the new generation has applied at least what the serving one has;
// then drops the old one. Interrupted, it leaves the serving generation untouched; the next run starts over.
import pg from 'pg';
import { Knex } from 'knex';
import { Config } from '../../shared/config';
import { Logger } from '../../shared/logger';
import { createKafka, ensureTopicsWith } from '../../shared/kafka';
import { applyBatch } from '../../projections/applyBatch';
import { appliedTotal } from '../../projections/checkpoints';
import { createBuildingGeneration, dropBuildingGenerations, dropGeneration, Generation, switchGeneration } from '../../projections/generations';
import { replayProgress } from './progress';

const REPLAY_LOCK = 7_270_002; // pg_advisory_lock key: one replay at a time
/** Longer than the API's generation cache (1 s), so no request still reads the old schema when it goes. */
const DROP_DELAY_MS = 5_000;

/** A replay refused before it started (another one runs, a bad setting): the command exits with 2. */
export class ReplayRefused extends Error {
  readonly exitCode = 2;
}

export async function replay(db: Knex, config: Config, logger: Logger, opts: { keepOld: boolean; interactive: boolean }): Promise<Generation> {
  const lock = new pg.Client({ connectionString: config.databaseUrl });
  await lock.connect();
  try {
    const { rows } = await lock.query<{ ok: boolean }>('select pg_try_advisory_lock($1) as ok', [REPLAY_LOCK]);
    if (!rows[0]?.ok) throw new ReplayRefused('another replay is running on this database; wait for it to finish (or stop it) and try again');
    const leftovers = await dropBuildingGenerations(db);
    if (leftovers.length > 0) logger.info({ generations: leftovers }, 'dropped generations an interrupted replay left');
    const building = await createBuildingGeneration(db);
    logger.info({ generation: building.id, schema: building.schema }, 'replaying into a new generation');
    const replaced = await buildAndSwitch(db, config, logger, building, opts.interactive);
    logger.info({ generation: building.id, replaced: replaced.id }, 'switched: the new generation serves');
    if (!opts.keepOld) {
      await new Promise((r) => setTimeout(r, DROP_DELAY_MS));
      await dropGeneration(db, replaced);
      logger.info({ generation: replaced.id, schema: replaced.schema }, 'dropped the old generation');
    }
    return building;
  } finally {
    await lock.end(); // releases the advisory lock
  }
}

async function buildAndSwitch(db: Knex, config: Config, logger: Logger, building: Generation, interactive: boolean): Promise<Generation> {
  const kafka = createKafka(config, logger);
  await ensureTopicsWith(kafka, config);
  const topic = config.topics.events;
  const admin = kafka.admin();
  await admin.connect();
  const consumer = kafka.consumer({
    groupId: `${config.kafka.groupId}-replay-${building.id}-${Date.now().toString(36)}`,
    maxBytesPerPartition: 4 << 20,
    maxWaitTimeInMs: 500,
  });
  const progress = replayProgress(logger, interactive);
  let failure: unknown;
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    // Dead letters were published when the projector first met them: a replay does not repeat them.
    await consumer.run({
      partitionsConsumedConcurrently: 3,
      eachBatch: async ({ batch }) => {
        await applyBatch(db, batch, { generation: building }).catch((err: unknown) => {
          failure = err;
          throw err;
        });
      },
    });
    for (;;) {
      const ends = await admin.fetchTopicOffsets(topic);
      const total = ends.reduce((s, p) => s + Number(p.high), 0);
      const done = Number(await appliedTotal(db, building.schema, topic));
      progress.update(done, total);
      if (done >= total) {
        const logEnds = new Map(ends.map((e) => [e.partition, BigInt(e.high)]));
        const replaced = await switchGeneration(db, building, topic, logEnds);
        if (replaced !== null) return replaced;
      }
      if (failure !== undefined) logger.warn({ err: failure }, 'a replay batch failed; it is retried');
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    progress.stop();
    await consumer.disconnect();
    await admin.disconnect();
  }
}
