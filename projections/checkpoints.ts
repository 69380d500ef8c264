// Consumed offsets, stored in the read model's own transaction (ops.md, "Delivery guarantees").
import { Db } from '../shared/db';
import { table } from './readModel';

export type Checkpoint = Readonly<{ topic: string; partition: number; nextOffset: bigint }>;

/**
 * Locks the partition's checkpoint row until the transaction ends and returns the next offset to apply.
 * Two processes briefly owning one partition (a rebalance) serialise here, and the later one sees
 * what the earlier one applied.
 */
export async function lockCheckpoint(db: Db, schema: string, topic: string, partition: number): Promise<bigint> {
  const t = table(schema, 'checkpoints');
  await db.raw(`insert into ${t} (topic, partition, next_offset) values (?, ?, 0) on conflict do nothing`, [topic, partition]);
  const { rows } = await db.raw<{ rows: { next_offset: string }[] }>(
    `select next_offset from ${t} where topic = ? and partition = ? for update`,
    [topic, partition],
  );
  return BigInt(rows[0]?.next_offset ?? '0');
}

export async function advanceCheckpoint(
  db: Db,
  schema: string,
  c: Checkpoint & { lastEventTime: string | null },
): Promise<void> {
  await db.raw(
    `update ${table(schema, 'checkpoints')}
     set next_offset = ?, last_event_time = greatest(last_event_time, ?::timestamptz), updated_at = now()
     where topic = ? and partition = ?`,
    [c.nextOffset.toString(), c.lastEventTime, c.topic, c.partition],
  );
}

/** How many messages of the topic this generation has applied (or dead-lettered): the sum of its offsets. */
export async function appliedTotal(db: Db, schema: string, topic: string): Promise<bigint> {
  return [...(await readCheckpoints(db, schema, topic)).values()].reduce((a, b) => a + b, 0n);
}

export async function readCheckpoints(db: Db, schema: string, topic: string): Promise<Map<number, bigint>> {
  const { rows } = await db.raw<{ rows: { partition: number; next_offset: string }[] }>(
    `select partition, next_offset from ${table(schema, 'checkpoints')} where topic = ?`,
    [topic],
  );
  return new Map(rows.map((r) => [r.partition, BigInt(r.next_offset)]));
}
