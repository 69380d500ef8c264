import { Producer, IHeaders } from 'kafkajs';
import { DeadLetter } from '../../projections/applyBatch';

/**
 * Copies each message unchanged to the DLQ topic, its original headers kept, with why and where from
 * (events.md). Awaited with acks from all in-sync replicas before the batch's transaction commits, so a
 * crash can repeat a dead letter but never lose one.
 */
export async function publishDeadLetters(
  producer: Producer,
  dlqTopic: string,
  source: { topic: string; partition: number },
  deadLetters: readonly DeadLetter[],
): Promise<void> {
  if (deadLetters.length === 0) return;
  await producer.send({
    topic: dlqTopic,
    acks: -1,
    messages: deadLetters.map(({ message, reason }) => ({
      key: message.key,
      value: message.value,
      headers: {
        ...((message.headers as IHeaders | undefined) ?? {}),
        'x-rollcall-error': reason,
        'x-rollcall-source-topic': source.topic,
        'x-rollcall-source-partition': String(source.partition),
        'x-rollcall-source-offset': message.offset,
      },
    })),
  });
}
