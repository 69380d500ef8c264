// Kafka batches of user-events → projections, one PostgreSQL transaction per batch (ops.md guarantees).
import { Kafka, EachBatchPayload } from 'kafkajs';
import { Knex } from 'knex';
import { Config } from '../../shared/config';
import { consumerOptions, createProducer } from '../../shared/kafka';
import { Logger } from '../../shared/logger';
import { applyBatch, BatchResult } from '../../projections/applyBatch';
import { activeGeneration } from '../../projections/generations';
import { readCheckpoints } from '../../projections/checkpoints';
import { publishDeadLetters } from './deadLetters';
import { Metrics } from '../../shared/metrics';

const PARTITIONS_IN_FLIGHT = 3;

export type ProjectorDeps = { kafka: Kafka; db: Knex; config: Config; logger: Logger; metrics?: Metrics; onBatch?: (r: BatchResult) => void };
export type Running = { stop: () => Promise<void> };

export async function startProjector(deps: ProjectorDeps): Promise<Running> {
  const { kafka, db, config, logger } = deps;
  const topic = config.topics.events;
  const consumer = kafka.consumer({
    ...consumerOptions(config, config.kafka.groupId),
    // Larger fetches make larger batches: fewer transactions per event.
    maxBytesPerPartition: 4 << 20,
    maxBytes: 32 << 20,
  });
  const producer = createProducer(kafka);
  // Partitions whose position was checked against PostgreSQL since they were last assigned.
  const positioned = new Set<number>();

  await producer.connect();
  await consumer.connect();
  // On every assignment, move each partition to the offset stored in PostgreSQL (ops.md: a restart resumes
  // from there, not from Kafka's group offsets, which may be behind or ahead of the read model).
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    positioned.clear();
    const partitions = payload.memberAssignment[topic] ?? [];
    seekToStoredOffsets(partitions).catch((err) => logger.error({ err }, 'could not seek to the stored offsets'));
  });
  const seekToStoredOffsets = async (partitions: number[]) => {
    const stored = await readCheckpoints(db, (await activeGeneration(db)).schema, topic);
    for (const partition of partitions) {
      consumer.seek({ topic, partition, offset: (stored.get(partition) ?? 0n).toString() });
      positioned.add(partition);
    }
  };
  await consumer.subscribe({ topic, fromBeginning: true });

  const eachBatch = async ({ batch, resolveOffset, heartbeat, isRunning, isStale, commitOffsetsIfNecessary }: EachBatchPayload) => {
    if (!isRunning() || isStale() || batch.messages.length === 0) return;
    if (!positioned.has(batch.partition)) {
      positioned.add(batch.partition);
      // A batch fetched before the seek above took effect: if it starts past the stored offset, go back.
      // Messages before the stored offset are dropped by applyBatch, so a batch that starts before it is fine.
      const stored = (await readCheckpoints(db, (await activeGeneration(db)).schema, topic)).get(batch.partition) ?? 0n;
      if (BigInt(batch.firstOffset() ?? '0') > stored) {
        logger.info({ partition: batch.partition, offset: stored.toString() }, 'seeking to the offset stored in PostgreSQL');
        consumer.seek({ topic, partition: batch.partition, offset: stored.toString() });
        return;
      }
    }
    const result = await applyBatch(db, batch, {
      beforeCommit: (deadLetters) => publishDeadLetters(producer, config.topics.dlq, batch, deadLetters),
    }).catch((err: unknown) => {
      // Rolled back: nothing of it was applied; kafkajs retries the batch from the same offset.
      logger.error({ err, partition: batch.partition, firstOffset: batch.firstOffset() }, 'batch failed and was rolled back; retrying');
      throw err;
    });
    logOutcomes(logger, batch.partition, result);
    countOutcomes(deps.metrics, result, topic, BigInt(batch.highWatermark) - BigInt(batch.lastOffset()) - 1n);
    deps.onBatch?.(result);
    resolveOffset(batch.lastOffset());
    await heartbeat();
    await commitOffsetsIfNecessary();
  };

  // Several partitions in flight at once: one batch is decoded and folded while another waits on PostgreSQL.
  await consumer.run({ eachBatchAutoResolve: false, autoCommit: true, partitionsConsumedConcurrently: PARTITIONS_IN_FLIGHT, eachBatch });
  logger.info({ topic, groupId: config.kafka.groupId }, 'projector consuming');

  return {
    stop: async () => {
      await consumer.disconnect(); // waits for the batch in hand to commit or roll back
      await producer.disconnect();
    },
  };
}

function countOutcomes(metrics: Metrics | undefined, result: BatchResult, topic: string, lag: bigint): void {
  if (metrics === undefined) return;
  for (const o of result.outcomes) {
    metrics.events.inc({ type: o.type, outcome: o.outcome });
    if (o.gap) metrics.gaps.inc({ type: o.type });
  }
  metrics.lag.set({ topic, partition: String(result.partition) }, Number(lag > 0n ? lag : 0n));
}

function logOutcomes(logger: Logger, partition: number, result: BatchResult): void {
  for (const o of result.outcomes) {
    if (o.gap) logger.warn({ partition, subject: o.subject, type: o.type }, 'version gap: events were lost upstream');
  }
  for (const d of result.deadLetters) {
    logger.warn({ partition, offset: d.message.offset, reason: d.reason }, 'event dead-lettered');
  }
}
