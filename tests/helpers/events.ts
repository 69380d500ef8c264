// Small factories of CloudEvents as upstream publishes them (events.md), and publishing to real Kafka.
import { randomUUID, createHash } from 'node:crypto';
import { Kafka, Message } from 'kafkajs';
import { createProducer } from '../../shared/kafka';

export type RawEvent = { subject: string; value: string; headers?: Record<string, string> };

let clock = Date.parse('2026-02-21T07:20:25Z');

/** One event of the events topic; `version` is the subject's aggregateversion. */
export function event(subject: string, type: string, version: number | undefined, data: Record<string, unknown>, time?: string): RawEvent {
  const at = time ?? new Date((clock += 1000)).toISOString();
  const body: Record<string, unknown> = {
    specversion: '1.0', id: randomUUID(), source: '/accounts', type, subject, time: at,
    datacontenttype: 'application/json', ...(version === undefined ? {} : { aggregateversion: version }), data,
  };
  return { subject, value: JSON.stringify(body) };
}

/** The same, with JSON text for data (to carry ids past 2^53 exactly). */
export function eventWithRawData(subject: string, type: string, version: number, dataJson: string, time: string): RawEvent {
  const head = JSON.stringify({ specversion: '1.0', id: randomUUID(), source: '/accounts', type, subject, time, aggregateversion: version });
  return { subject, value: `${head.slice(0, -1)},"data":${dataJson}}` };
}

export const sha256 = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');

export async function publish(kafka: Kafka, topic: string, events: readonly RawEvent[]): Promise<void> {
  const producer = createProducer(kafka);
  await producer.connect();
  try {
    const messages: Message[] = events.map((e) => ({ key: e.subject, value: e.value, headers: e.headers }));
    // In chunks: one produce request must stay under the broker's message.max.bytes (1 MiB).
    for (let i = 0; i < messages.length; i += 2_000) await producer.send({ topic, acks: -1, messages: messages.slice(i, i + 2_000) });
  } finally {
    await producer.disconnect();
  }
}

/** Polls until check returns a value other than undefined, or fails after timeoutMs. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 30_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
