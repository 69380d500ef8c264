import { Producer, IHeaders, Message } from 'kafkajs';
import { DeadLetter } from '../../projections/applyBatch';

/**
 * Bytes of dead letters per produce request. A fetched batch can hold 4 MB of messages and every one may be a
 * dead letter; one request holding them all would exceed the DLQ's message size (a record batch counts as one
 * message to the broker) and fail on every retry of the batch. A single larger letter still goes alone: the
 * DLQ topic is created to take any message the events topic took, with its headers (shared/kafka.ts).
 */
const REQUEST_BYTES = 512 * 1024;

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
  let chunk: Message[] = [];
  let bytes = 0;
  for (const { message, reason } of deadLetters) {
    const letter = {
      key: message.key,
      value: message.value,
      headers: {
        ...((message.headers as IHeaders | undefined) ?? {}),
        'x-rollcall-error': reason,
        'x-rollcall-source-topic': source.topic,
        'x-rollcall-source-partition': String(source.partition),
        'x-rollcall-source-offset': message.offset,
      },
    };
    const size = (message.key?.length ?? 0) + (message.value?.length ?? 0) + headerBytes(letter.headers);
    if (chunk.length > 0 && bytes + size > REQUEST_BYTES) {
      await producer.send({ topic: dlqTopic, acks: -1, messages: chunk });
      chunk = [];
      bytes = 0;
    }
    chunk.push(letter);
    bytes += size;
  }
  if (chunk.length > 0) await producer.send({ topic: dlqTopic, acks: -1, messages: chunk });
}

function headerBytes(headers: IHeaders): number {
  let n = 0;
  for (const [k, v] of Object.entries(headers)) n += k.length + (v === undefined ? 0 : String(v).length) + 8;
  return n;
}
