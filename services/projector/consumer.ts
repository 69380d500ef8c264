// Kafka batches of user-events → projections, one PostgreSQL transaction per batch (ops.md guarantees).
import { Kafka, EachBatchPayload } from 'kafkajs';
import { Knex } from 'knex';
import { Config } from '../../shared/config';
import { consumerOptions, createProducer } from '../../shared/kafka';
import { Logger } from '../../shared/logger';
import { applyBatch, BatchResult, InboundBatch } from '../../projections/applyBatch';
import { activeGeneration } from '../../projections/generations';
import { readCheckpoints } from '../../projections/checkpoints';
import { publishDeadLetters } from './deadLetters';
import { StopSignal, StoppedError } from './stopSignal';
import { countOutcomes, logOutcomes } from './outcomes';
import { BatchLimits } from './batchLimits';
import { Metrics } from '../../shared/metrics';

const PARTITIONS_IN_FLIGHT = 3;
/** How long a stop lets the batches in hand finish before it rolls them back (ops.md: exit within 10 s). */
const STOP_GRACE_MS = 3_000;

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
    // If this fails, each partition's first batch is checked against the stored offset instead (checkPosition).
    seekToStoredOffsets(partitions).catch((err) => logger.warn({ err }, 'could not seek to the stored offsets; checking each first batch instead'));
  });
  const storedOffsets = async () => readCheckpoints(db, (await activeGeneration(db)).schema, topic);
  const storedOffset = async (partition: number): Promise<bigint> => (await storedOffsets()).get(partition) ?? 0n;
  /** One read of the stored offsets, then a seek of each partition to its own. */
  const seekToStored = async (partitions: readonly number[]): Promise<void> => {
    const stored = await storedOffsets();
    for (const partition of partitions) consumer.seek({ topic, partition, offset: (stored.get(partition) ?? 0n).toString() });
  };
  const seekToStoredOffsets = async (partitions: number[]) => {
    await seekToStored(partitions);
    for (const partition of partitions) positioned.add(partition);
  };
  await consumer.subscribe({ topic, fromBeginning: true });

  // Per partition, the transaction of the last batch handed over, settled once it committed or failed. The
  // fetcher does not wait for it (kafkajs fetches again only once every batch of a fetch was handled), so
  // PostgreSQL writes one batch while the next is fetched and decoded. A partition's batches still commit in
  // order: each waits for the one before, and the one after a failed batch is checked against the stored
  // offset first (there is at most one: kafkajs fetches again only once it was handled). Kafka's group
  // offsets may run ahead of PostgreSQL's; only PostgreSQL's count (seekToStoredOffsets).
  const writing = new Map<number, Promise<void>>();
  let stopping = false;
  const stopSignal = new StopSignal();
  const limits = new BatchLimits();

  const eachBatch = async ({ batch, resolveOffset, heartbeat, isRunning, isStale, commitOffsetsIfNecessary }: EachBatchPayload) => {
    if (!isRunning() || isStale() || batch.messages.length === 0) return;
    await writing.get(batch.partition);
    if (!positioned.has(batch.partition) && !(await checkPosition(batch.partition, batch.firstOffset()))) return;
    const messages = limits.take(batch.partition, batch.messages);
    const last = messages[messages.length - 1]!.offset;
    writing.set(batch.partition, write({ topic, partition: batch.partition, messages }, BigInt(batch.highWatermark) - BigInt(last) - 1n));
    resolveOffset(last); // a batch taken in part: kafkajs fetches the rest again
    await heartbeat();
    await commitOffsetsIfNecessary();
  };

  /**
   * A batch fetched before a seek to the stored offset took effect (on assignment, or after a batch rolled back)
   * is applied only if it does not start past the stored offset: the events between would be lost. Messages
   * before the stored offset are dropped by applyBatch, so a batch that starts before it is fine. While the
   * stored offset cannot be read, nothing is applied: the batch is not resolved, so kafkajs fetches it again
   * and it is checked again (Kafka's group offsets may be ahead of PostgreSQL's: issue 16).
   */
  const checkPosition = async (partition: number, firstOffset: string | null): Promise<boolean> => {
    let stored: bigint;
    try {
      stored = await storedOffset(partition);
    } catch (err) {
      logger.warn({ err, partition }, 'could not read the stored offset; the batch waits and is fetched again');
      await new Promise((r) => setTimeout(r, 500));
      return false;
    }
    positioned.add(partition);
    if (BigInt(firstOffset ?? '0') <= stored) return true;
    logger.info({ partition, offset: stored.toString() }, 'seeking to the offset stored in PostgreSQL');
    consumer.seek({ topic, partition, offset: stored.toString() });
    return false;
  };

  const write = (batch: InboundBatch, lag: bigint): Promise<void> =>
    applyBatch(db, batch, {
      beforeCommit: (deadLetters) => stopSignal.race(publishDeadLetters(producer, config.topics.dlq, batch, deadLetters)),
    }).then(
      (result) => {
        limits.succeeded(batch.partition);
        logOutcomes(logger, batch.partition, result);
        countOutcomes(deps.metrics, result, topic, lag);
        deps.onBatch?.(result);
      },
      async (err: unknown) => {
        // Rolled back (or committed without the client hearing so): back to the offset PostgreSQL holds, to
        // fetch again from there; the partition's next batch is checked against it as after an assignment.
        const firstOffset = batch.messages[0]?.offset;
        if (err instanceof StoppedError) return logger.info({ partition: batch.partition, firstOffset }, err.message);
        limits.failed(batch.partition, batch.messages.length);
        logger.error({ err, partition: batch.partition, firstOffset, messages: batch.messages.length }, 'batch failed and was rolled back; retrying with at most half its messages');
        positioned.delete(batch.partition);
        await seekBackAfterFailure(batch.partition);
      },
    );

  /** Waits a little longer at each attempt (PostgreSQL may be restarting), until the seek is made or the projector stops. */
  const seekBackAfterFailure = async (partition: number): Promise<void> => {
    for (let attempt = 0; !stopping; attempt++) {
      await new Promise((r) => setTimeout(r, Math.min(5_000, 100 * 2 ** attempt)));
      try {
        return await seekToStored([partition]);
      } catch (err) {
        logger.warn({ err, partition }, 'could not read the stored offset; trying again');
      }
    }
  };

  // Several partitions in flight at once: one batch is decoded and folded while another waits on PostgreSQL.
  await consumer.run({ eachBatchAutoResolve: false, autoCommit: true, partitionsConsumedConcurrently: PARTITIONS_IN_FLIGHT, eachBatch });
  logger.info({ topic, groupId: config.kafka.groupId }, 'projector consuming');

  return {
    stop: async () => {
      stopping = true;
      stopSignal.stopAfter(STOP_GRACE_MS);
      await consumer.disconnect();
      await Promise.all(writing.values()); // the batches handed over commit or roll back
      // A send abandoned above may still be retrying inside the producer: its disconnect ends that too.
      await producer.disconnect();
      stopSignal.clear();
    },
  };
}
