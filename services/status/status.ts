// `rollcall status [--json]` (ops.md): per partition the log end, the offset applied in PostgreSQL and the lag;
// the last applied event time; the serving read-model generation; the DLQ's size.
import { Kafka } from 'kafkajs';
import { Knex } from 'knex';
import { Config } from '../../shared/config';
import { activeGeneration } from '../../projections/generations';
import { table } from '../../projections/readModel';
import { blockedSummary, BlockedSummary } from '../../projections/users/blocked';

export type Status = {
  topic: string;
  partitions: Array<{ partition: number; logEnd: string; applied: string; lag: string }>;
  totalLag: string;
  lastAppliedEventTime: string | null;
  generation: { id: number; schema: string; readModelVersion: number };
  dlq: { topic: string; messages: string };
  /** Users blocked behind a dead-lettered registration, and their later events dead-lettered so far. */
  blocked: BlockedSummary;
  /** Set when the read model has applied offsets the topic does not have: it was built from another log. */
  warning: string | null;
};

export async function collectStatus(db: Knex, kafka: Kafka, config: Config): Promise<Status> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [ends, dlqOffsets, gen] = await Promise.all([
      admin.fetchTopicOffsets(config.topics.events),
      admin.fetchTopicOffsets(config.topics.dlq),
      activeGeneration(db),
    ]);
    const { rows } = await db.raw<{ rows: { partition: number; next_offset: string; last_event_time: string | null }[] }>(
      `select partition, next_offset, last_event_time from ${table(gen.schema, 'checkpoints')} where topic = ?`,
      [config.topics.events],
    );
    const blocked = await blockedSummary(db, gen.schema);
    const applied = new Map(rows.map((r) => [r.partition, BigInt(r.next_offset)]));
    const partitions = ends
      .map((e) => {
        const a = applied.get(e.partition) ?? 0n;
        const end = BigInt(e.high);
        return { partition: e.partition, logEnd: end.toString(), applied: a.toString(), lag: (end > a ? end - a : 0n).toString() };
      })
      .sort((x, y) => x.partition - y.partition);
    const times = rows.map((r) => r.last_event_time).filter((t): t is string => t !== null).sort();
    return {
      topic: config.topics.events,
      partitions,
      totalLag: partitions.reduce((s, p) => s + BigInt(p.lag), 0n).toString(),
      lastAppliedEventTime: times.length === 0 ? null : (times[times.length - 1] as string),
      generation: { id: gen.id, schema: gen.schema, readModelVersion: gen.readModelVersion },
      dlq: { topic: config.topics.dlq, messages: dlqOffsets.reduce((s, p) => s + BigInt(p.high) - BigInt(p.low), 0n).toString() },
      blocked,
      warning: partitions.some((p) => BigInt(p.applied) > BigInt(p.logEnd))
        ? `the read model has applied offsets beyond the end of ${config.topics.events}: the topic was recreated or is not the one it was built from; replay it`
        : null,
    };
  } finally {
    await admin.disconnect();
  }
}

export function formatStatus(s: Status): string {
  const rows = s.partitions.map((p) => `  ${String(p.partition).padStart(9)}  ${p.logEnd.padStart(12)}  ${p.applied.padStart(12)}  ${p.lag.padStart(10)}`);
  return [
    `topic ${s.topic}`,
    `  partition       log end       applied         lag`,
    ...rows,
    `  total lag: ${s.totalLag}`,
    `last applied event time: ${s.lastAppliedEventTime ?? 'none yet'}`,
    `read-model generation: ${s.generation.id} (${s.generation.schema}, read model v${s.generation.readModelVersion})`,
    `dead letters: ${s.dlq.messages} in ${s.dlq.topic}`,
    `users blocked behind a dead-lettered registration: ${s.blocked.users} (${s.blocked.events} later events dead-lettered; \`rollcall dlq list\` shows the causes)`,
    ...(s.warning === null ? [] : [`WARNING: ${s.warning}`]),
    '',
  ].join('\n');
}
