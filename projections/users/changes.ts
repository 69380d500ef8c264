// The change log of users (readModel.ts, createUserChanges): one row per committed batch naming the users and
// groups it wrote, so a reader that knows a partition's offset can learn what changed since, without a scan.
import { Db } from '../../shared/db';
import { table } from '../readModel';

/** How long a batch's row is kept; a reader further behind reads everything again. */
export const USER_CHANGES_RETENTION_SECONDS = 600;
/** At most this many expired rows go per batch: an index range of a few rows, never a scan. */
const PRUNE_PER_BATCH = 10;

export type UserChange = Readonly<{ topic: string; partition: number; fromOffset: bigint; nextOffset: bigint; userIds: readonly string[]; groupIds: readonly string[] }>;

/** Records a batch, even one that wrote no user, so each partition's rows chain from offset to offset. */
export async function recordUserChange(db: Db, schema: string, c: UserChange): Promise<void> {
  const t = table(schema, 'user_changes');
  await db.raw(
    `with expired as (
       delete from ${t} where (topic, partition, next_offset) in
         (select topic, partition, next_offset from ${t} where topic = ? and partition = ? order by next_offset limit ${PRUNE_PER_BATCH})
       and committed_at < now() - interval '${USER_CHANGES_RETENTION_SECONDS} seconds')
     insert into ${t} (topic, partition, from_offset, next_offset, user_ids, group_ids) values (?, ?, ?, ?, ?::bigint[], ?::bigint[])`,
    [c.topic, c.partition, c.topic, c.partition, c.fromOffset.toString(), c.nextOffset.toString(), [...c.userIds], [...c.groupIds]],
  );
}
