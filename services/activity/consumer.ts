// user-activity (token.used) → the online store in Redis, one pipelined write per batch.
import { Kafka, EachBatchPayload, Producer } from 'kafkajs';
import { Config } from '../../shared/config';
import { consumerOptions, createProducer } from '../../shared/kafka';
import { Logger } from '../../shared/logger';
import { decodeEvent } from '../../shared/events/envelope';
import { OnlineStatus, toEpochMicros } from '../../shared/activity/onlineStore';
import { DeadLetter } from '../../projections/applyBatch';
import { publishDeadLetters } from '../projector/deadLetters';
import { Running } from '../projector/consumer';

export type ActivityDeps = { kafka: Kafka; online: OnlineStatus; config: Config; logger: Logger };

export async function startActivity(deps: ActivityDeps): Promise<Running> {
  const { kafka, online, config, logger } = deps;
  const consumer = kafka.consumer(consumerOptions(config, config.kafka.activityGroupId));
  const producer: Producer = createProducer(kafka);
  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topic: config.topics.activity, fromBeginning: false });

  const eachBatch = async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary }: EachBatchPayload) => {
    const latest = new Map<string, number>();
    const deadLetters: DeadLetter[] = [];
    for (const message of batch.messages) {
      const d = decodeEvent(message.value, 'activity');
      if (d.kind === 'activity') {
        const at = toEpochMicros(d.meta.time);
        if ((latest.get(d.meta.subjectId) ?? -Infinity) < at) latest.set(d.meta.subjectId, at);
      } else if (d.kind === 'invalid') {
        deadLetters.push({ message, reason: d.reason });
      }
    }
    await online.record(latest);
    await publishDeadLetters(producer, config.topics.dlq, batch, deadLetters);
    resolveOffset(batch.lastOffset());
    await heartbeat();
    await commitOffsetsIfNecessary();
  };

  await consumer.run({ eachBatchAutoResolve: false, eachBatch });
  logger.info({ topic: config.topics.activity }, 'activity consuming');
  return {
    stop: async () => {
      await consumer.disconnect();
      await producer.disconnect();
    },
  };
}
