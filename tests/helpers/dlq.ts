// Reads a DLQ topic from the beginning: dead letters are at-least-once, so they are keyed by their origin.
import { IHeaders, Kafka } from 'kafkajs';

export type DeadLetter = { key: string; value: string; headers: Record<string, string> };

/** Reads until `expected` distinct dead letters (by source topic, partition and offset) are in. */
export async function readDeadLetters(kafka: Kafka, topic: string, expected: number, timeoutMs = 30_000): Promise<DeadLetter[]> {
  const seen = new Map<string, DeadLetter>();
  if (expected === 0) return [];
  const consumer = kafka.consumer({ groupId: `dlq-reader-${Date.now()}-${Math.random()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const done = new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async ({ message }) => {
        const headers = Object.fromEntries(Object.entries(message.headers as IHeaders).map(([k, v]) => [k, String(v)]));
        const origin = ['topic', 'partition', 'offset'].map((h) => headers[`x-rollcall-source-${h}`]).join('/');
        seen.set(origin, { key: String(message.key), value: String(message.value), headers });
        if (seen.size >= expected) resolve();
      },
    });
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`only ${seen.size} of ${expected} dead letters arrived`)), timeoutMs);
  });
  try {
    await Promise.race([done, timeout]);
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
  return [...seen.values()];
}
