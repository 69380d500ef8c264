// Which change feed tells the API's memory about the commits of the database it reads (issue 25, finding 5).
// Authentications and the primary's serving generation always follow a feed on the primary (DATABASE_URL), where
// tokens are read. The index follows the database it reads (READ_DATABASE_URL):
// - the primary itself: the same feed;
// - a database that can LISTEN and is written by a projector of its own (not a standby, not a logical
//   subscriber): a feed on it, since its own commits are notified only there;
// - a streaming standby (cannot LISTEN) or a logical subscriber (notices are not replicated): the primary's
//   feed, and the primary's checkpoints read whenever that feed becomes live (index/pushedChanges.ts), since a
//   commit made while the feed was down may not have been replayed when the index read the replica.
import { Knex } from 'knex';
import type { Gauge } from 'prom-client';
import { Logger } from '../../../shared/logger';
import { table } from '../../../projections/readModel';
import type { CommittedCheckpoints } from '../index/pushedChanges';
import type { Stores } from '../../stores';
import { ChangeFeed } from './changeFeed';

export type ApiFeeds = Readonly<{
  /** The primary's: authentications, the primary's serving generation. */
  primary: ChangeFeed | null;
  /** The one the index, kept pages and the read database's serving generation follow. */
  read: ChangeFeed | null;
  /** Whether `read` listens on the database the index reads (then it also vouches for its serving generation). */
  readsItself: boolean;
  /** With `read` the primary's while the index reads a replica: the primary's checkpoints. */
  committed: CommittedCheckpoints | null;
  close: () => Promise<void>;
}>;

export async function openFeeds(stores: Stores, logger: Logger, live?: Gauge): Promise<ApiFeeds> {
  if (stores.embedded) return { primary: null, read: null, readsItself: false, committed: null, close: async () => undefined };
  const primary = ChangeFeed.of(stores.db, logger, live).start();
  if (stores.readDb === stores.db) return { primary, read: primary, readsItself: true, committed: null, close: () => primary.close() };
  if (await followsItself(stores.readDb, logger)) {
    const read = ChangeFeed.of(stores.readDb, logger).start();
    logger.info('READ_DATABASE_URL is written by a projector of its own: the index follows its change feed');
    return { primary, read, readsItself: true, committed: null, close: async () => void (await Promise.all([primary.close(), read.close()])) };
  }
  logger.info("READ_DATABASE_URL replicates DATABASE_URL: the index follows the primary's change feed and checkpoints");
  return { primary, read: primary, readsItself: false, committed: checkpointsOf(stores.db), close: () => primary.close() };
}

/**
 * Whether the read database's own commits are notified there: it is not a standby (which cannot LISTEN) and has
 * no logical subscription (whose applied rows come with no notice). When it cannot be asked (down at the start),
 * it is followed through the primary, which is right for every kind, only slower for a replica of its own.
 */
async function followsItself(readDb: Knex, logger: Logger): Promise<boolean> {
  try {
    const { rows } = await readDb.raw<{ rows: Array<{ standby: boolean; subscribed: boolean }> }>(
      `select pg_is_in_recovery() as standby,
              exists (select 1 from pg_subscription where subdbid = (select oid from pg_database where datname = current_database())) as subscribed`,
    );
    return rows[0]?.standby === false && rows[0]?.subscribed === false;
  } catch (err) {
    logger.warn({ err }, "could not ask READ_DATABASE_URL what it is; its index follows the primary's feed and checkpoints");
    return false;
  }
}

/** The primary's checkpoints in a schema: what a replica must have replayed before its index is current. */
function checkpointsOf(db: Knex): CommittedCheckpoints {
  return async (schema) => {
    const { rows } = await db.raw<{ rows: Array<{ topic: string; partition: number; next_offset: string }> }>(`select topic, partition, next_offset from ${table(schema, 'checkpoints')}`);
    return new Map(rows.map((r) => [`${r.topic}/${r.partition}`, BigInt(r.next_offset)]));
  };
}
