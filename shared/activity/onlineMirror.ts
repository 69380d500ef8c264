// An API process's copy of the online set. Reading 100,000 members from Redis costs 65-100 ms, too much for
// every request; instead every write to the set (one script, onlineStore.ts) also appends what it wrote to a
// short stream, numbered without gaps, and the mirror reads only the entries it has not seen: one round trip
// per request, usually returning nothing. A gap (the stream trimmed past us) or a new epoch (Redis lost its
// data and numbers its writes from 1 again) reads the set again. An API process follows the stream (follow()):
// a blocking read on a connection of its own wakes it at each write, so a request reads the copy with no round trip.
import Redis from 'ioredis';
import { ActivityTable, OnlineSnapshot } from './onlineSnapshot';
import { CoalescedRuns } from '../coalesce';

export type OnlineKeys = Readonly<{ set: string; stream: string; seq: string; epoch: string }>;

/** How often users offline for good are dropped from the copy. */
const PRUNE_EVERY_MS = 10_000;
/** Entries read per round trip while catching up. */
const PAGE = 500;
/** How long follow()'s read waits for a write before it asks again (a quiet Redis): well under FOLLOW_STALE_MS. */
const FOLLOW_BLOCK_MS = 250;
const FOLLOW_RETRY_MS = 1_000;
/** No wake-up for this long: Redis hangs, and the copy is no longer followed. */
const FOLLOW_STALE_MS = 1_000;
/** follow()'s connection's command timeout: long enough to read the whole set on a busy machine. */
export const FOLLOW_COMMAND_TIMEOUT_MS = 10_000;

export class OnlineMirror {
  private table: ActivityTable;
  private prunedAt = 0;
  /** The number of the last write applied, and the stream id it had; -1 before the first load. */
  private seq = -1;
  private streamId = '0-0';
  /** The epoch of the writes applied (null where no write has marked one yet). */
  private epoch: string | null = null;
  /** Runs read through the connection they are given: a request's (short timeout), or follow()'s (its own). */
  private readonly runs = new CoalescedRuns<Redis, void>((via) => this.syncOnce(via));
  /** Whether follow()'s read is caught up and waiting, and when it last woke. */
  private followed = false;
  private wokeAt = 0;

  constructor(private readonly redis: Redis, private readonly keys: OnlineKeys, private readonly windowMicros: number) {
    this.table = new ActivityTable(windowMicros);
  }

  /** Brings the copy up to every write Redis had acknowledged when this was called. */
  sync(via: Redis = this.redis): Promise<void> {
    return this.runs.run(via);
  }

  /** Whether follow() keeps the copy current: caught up, and woken within a second (a Redis that hangs, not). */
  get isFollowed(): boolean {
    return this.followed && Date.now() - this.wokeAt < FOLLOW_STALE_MS;
  }

  /**
   * Keeps the copy current until the returned stop is called: waits on `blocking` (a connection of its own,
   * XREAD BLOCK) for the stream to pass what was read, then catches up with sync() on that connection, which
   * checks gaps and epochs (a load of 100,000 members can outlast a request's command timeout on a busy
   * machine: this connection's is longer). Any failure (Redis down), or no wake-up within a second (Redis
   * hangs), stops following until a sync succeeds again; meanwhile callers sync on their own connection.
   */
  follow(blocking: Redis, onError: (err: unknown) => void): () => void {
    let stopped = false;
    const loop = async () => {
      while (!stopped) {
        try {
          this.wokeAt = Date.now();
          await this.sync(blocking);
          this.followed = true;
          this.wokeAt = Date.now();
          await blocking.xread('BLOCK', FOLLOW_BLOCK_MS, 'STREAMS', this.keys.stream, this.streamId);
        } catch (err) {
          this.followed = false;
          if (stopped) return;
          onError(err);
          await new Promise((resolve) => setTimeout(resolve, FOLLOW_RETRY_MS).unref());
        }
      }
    };
    void loop();
    return () => {
      stopped = true;
      this.followed = false;
      blocking.disconnect();
    };
  }

  /** Who is online at `cutoff` (epoch microseconds), as of the last sync. */
  snapshot(cutoff: number): OnlineSnapshot {
    // Users offline for good are dropped now and then, not on every request (a pass over all of them).
    if (Date.now() - this.prunedAt > PRUNE_EVERY_MS) {
      this.table.prune(cutoff);
      this.prunedAt = Date.now();
    }
    return this.table.at(cutoff);
  }

  private async syncOnce(via: Redis): Promise<void> {
    for (;;) {
      if (this.seq < 0) return this.load(via);
      const [seqNow, epoch, entries] = await exec<[string | null, string | null, Array<[string, string[]]>]>(
        via.multi().get(this.keys.seq).get(this.keys.epoch).xrange(this.keys.stream, `(${this.streamId}`, '+', 'COUNT', PAGE),
      );
      const latest = Number(seqNow ?? 0);
      if (latest < this.seq || epoch !== this.epoch) return this.load(via);
      if (!this.apply(entries)) return this.load(via);
      if (this.seq >= latest) return;
      // Fewer entries than asked for, yet writes missing: the stream lost them.
      if (entries.length < PAGE) return this.load(via);
    }
  }

  /** Applies entries in order; false on a gap in their numbers. */
  private apply(entries: Array<[string, string[]]>): boolean {
    for (const [id, fields] of entries) {
      const n = Number(fields[1]);
      if (n <= this.seq) {
        this.streamId = id;
        continue;
      }
      if (n !== this.seq + 1) return false;
      const pairs = (fields[3] ?? '').split(',');
      for (let i = 0; i + 1 < pairs.length; i += 2) {
        this.table.record(pairs[i + 1] as string, Number(pairs[i]));
      }
      this.seq = n;
      this.streamId = id;
    }
    return true;
  }

  /** Reads the whole set, the write number and the stream's last entry at one moment (MULTI). */
  private async load(via: Redis): Promise<void> {
    const [seqNow, epoch, members, [last]] = await exec<[string | null, string | null, string[], Array<[string, string[]]>]>(
      via.multi().get(this.keys.seq).get(this.keys.epoch).zrange(this.keys.set, 0, '-1', 'WITHSCORES').xrevrange(this.keys.stream, '+', '-', 'COUNT', '1'),
    );
    this.epoch = epoch;
    const table = new ActivityTable(this.windowMicros);
    for (let i = 0; i + 1 < members.length; i += 2) table.record(members[i] as string, Number(members[i + 1]));
    this.table = table;
    this.seq = Number(seqNow ?? 0);
    this.streamId = last !== undefined && Number(last[1][1]) === this.seq ? last[0] : '0-0';
  }
}

async function exec<T extends unknown[]>(multi: ReturnType<Redis['multi']>): Promise<T> {
  const replies = await multi.exec();
  if (replies === null) throw new Error('redis transaction aborted');
  for (const [err] of replies) if (err) throw err;
  return replies.map(([, value]) => value) as T;
}
