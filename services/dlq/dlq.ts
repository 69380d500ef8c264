// `rollcall dlq list` and `rollcall dlq redrive` (issue 6): read the dead-letter topic; re-publish its
// messages to the events topic after a fix, each once.
import { IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import { Knex } from 'knex';
import { Config } from '../../shared/config';
import { createProducer } from '../../shared/kafka';

export type DeadLetterEntry = {
  origin: { topic: string; partition: number; offset: string };
  error: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
};

const header = (h: IHeaders | undefined, name: string) => (h?.[name] === undefined ? '' : String(h[name]));

function entry(m: KafkaMessage): DeadLetterEntry {
  const headers = Object.fromEntries(Object.entries(m.headers ?? {}).map(([k, v]) => [k, String(v)]));
  return {
    origin: { topic: header(m.headers, 'x-rollcall-source-topic'), partition: Number(header(m.headers, 'x-rollcall-source-partition')), offset: header(m.headers, 'x-rollcall-source-offset') },
    error: header(m.headers, 'x-rollcall-error'),
    key: m.key === null ? null : m.key.toString('utf8'),
    value: m.value === null ? null : m.value.toString('utf8'),
    headers,
  };
}

/** Every dead letter up to the topic's current end, once per origin (the DLQ is at-least-once). */
export async function readDeadLetters(kafka: Kafka, config: Config): Promise<DeadLetterEntry[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(config.topics.dlq);
  await admin.disconnect();
  const remaining = new Map(ends.filter((e) => BigInt(e.high) > BigInt(e.low)).map((e) => [e.partition, BigInt(e.high)]));
  const byOrigin = new Map<string, DeadLetterEntry>();
  if (remaining.size === 0) return [];
  const consumer = kafka.consumer({ groupId: `${config.kafka.groupId}-dlq-reader-${Date.now().toString(36)}`, maxWaitTimeInMs: 500 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: config.topics.dlq, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer.run({
        eachMessage: async ({ partition, message }) => {
          const e = entry(message);
          const origin = `${e.origin.topic}/${e.origin.partition}/${e.origin.offset}`;
          if (!byOrigin.has(origin)) byOrigin.set(origin, e);
          if (BigInt(message.offset) + 1n >= (remaining.get(partition) ?? 0n)) remaining.delete(partition);
          if (remaining.size === 0) resolve();
        },
      }).catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return [...byOrigin.values()];
}

/**
 * Re-publishes to the events topic, unchanged (key, value, upstream's own headers), each dead letter not
 * redriven before; returns how many. The origin is recorded after the publish is acknowledged: a crash in
 * between can publish one twice, and the projector drops the repeat by its version.
 */
export async function redrive(db: Knex, kafka: Kafka, config: Config): Promise<{ redriven: number; skipped: number }> {
  const letters = await readDeadLetters(kafka, config);
  const { rows } = await db.raw<{ rows: { t: string; p: number; o: string }[] }>(
    'select source_topic as t, source_partition as p, source_offset::text as o from rollcall_dlq_redriven',
  );
  const done = new Set(rows.map((r) => `${r.t}/${r.p}/${r.o}`));
  const todo = letters.filter((l) => !done.has(`${l.origin.topic}/${l.origin.partition}/${l.origin.offset}`) && l.origin.topic === config.topics.events);
  const producer = createProducer(kafka);
  await producer.connect();
  try {
    for (const l of todo) {
      const upstream = Object.fromEntries(Object.entries(l.headers).filter(([k]) => !k.startsWith('x-rollcall-')));
      await producer.send({
        topic: config.topics.events,
        acks: -1,
        messages: [{ key: l.key, value: l.value, headers: { ...upstream, 'x-rollcall-redriven-from': `${l.origin.topic}/${l.origin.partition}/${l.origin.offset}` } }],
      });
      await db.raw('insert into rollcall_dlq_redriven (source_topic, source_partition, source_offset) values (?, ?, ?) on conflict do nothing', [
        l.origin.topic, l.origin.partition, l.origin.offset,
      ]);
    }
  } finally {
    await producer.disconnect();
  }
  return { redriven: todo.length, skipped: letters.length - todo.length };
}
