// Last token activity per user, in one Redis sorted set (member: user id, score: epoch microseconds).
// ZADD GT keeps the latest activity whatever order it arrives in; entries older than the online window
// are trimmed, so memory follows the number of users online, not the number of users. Every write also
// appends what it wrote to a short, gaplessly numbered stream, from which API processes keep a copy of the
// set (onlineMirror.ts).
import Redis from 'ioredis';
import { FOLLOW_COMMAND_TIMEOUT_MS, OnlineMirror } from './onlineMirror';
import { OnlineSnapshot } from './onlineSnapshot';

/** Who is online: Redis (below) in every deployment, or in-process memory for `rollcall all` alone (issue 8). */
export interface OnlineStatus {
  /** Records activity at the given times (epoch microseconds). */
  record(activity: ReadonlyMap<string, number>): Promise<void>;
  /** Records a caller's activity now, written with other callers' within a moment; never awaited. */
  touch(userId: string): void;
  /**
   * Who is online now, including every write acknowledged before the call; in a process following the stream
   * (OnlineStore.follow), every write acknowledged before its last wake-up, a fraction of a millisecond behind,
   * unless `fresh` asks for the former anyway (one round trip).
   */
  snapshot(opts?: { fresh?: boolean }): Promise<OnlineSnapshot>;
  /** The ids among these that are online now. */
  online(userIds: readonly string[]): Promise<Set<string>>;
  /** Writes what touch() holds now: a role's shutdown calls it once it takes no more requests. */
  flush(): Promise<void>;
}

/** Stream entries kept (about: whole nodes are trimmed); a mirror further behind reads the set again. */
const STREAM_LENGTH = 256;
/** Members per ZADD inside the script (Lua's unpack has a stack limit). */
const ZADD_CHUNK = 2_000;

// KEYS: set, stream, write number, epoch. ARGV: cutoff, then score/member pairs. Atomic, so the stream's order
// is the order the set changed in. The first write after Redis lost its data (numbered 1 again) marks a new
// epoch, so that copies which had read further than that number see the reset (onlineMirror.ts).
const RECORD = `
for i = 2, #ARGV, ${ZADD_CHUNK} do
  redis.call('ZADD', KEYS[1], 'GT', unpack(ARGV, i, math.min(i + ${ZADD_CHUNK - 1}, #ARGV)))
end
local n = redis.call('INCR', KEYS[3])
if n == 1 then
  local t = redis.call('TIME')
  redis.call('SET', KEYS[4], t[1] .. '.' .. t[2])
end
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ${STREAM_LENGTH}, '*', 'n', n, 'd', table.concat(ARGV, ',', 2))
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1])
return n`;

/** How long a caller's activity may wait to be written with others'. */
const TOUCH_DELAY_MS = 100;

export class OnlineStore implements OnlineStatus {
  private readonly keys: { set: string; stream: string; seq: string; epoch: string };
  private readonly mirror: OnlineMirror;
  private touched = new Map<string, number>();
  private flushTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly windowSeconds: number,
    /** Where a failed write of callers' activity goes (nobody awaits it); stores.ts logs it. */
    private readonly onTouchError: (err: unknown) => void,
  ) {
    this.keys = { set: `${prefix}last-activity`, stream: `${prefix}activity-changes`, seq: `${prefix}activity-changes:n`, epoch: `${prefix}activity-changes:epoch` };
    this.mirror = new OnlineMirror(redis, this.keys, windowSeconds * 1_000_000);
  }

  /** Records activity at the given times (epoch microseconds), one round trip for the lot. */
  async record(activity: ReadonlyMap<string, number>): Promise<void> {
    if (activity.size === 0) return;
    const args: Array<string | number> = [this.cutoff()];
    for (const [userId, micros] of activity) args.push(micros, userId);
    await this.redis.eval(RECORD, 4, this.keys.set, this.keys.stream, this.keys.seq, this.keys.epoch, ...args);
  }

  touch(userId: string): void {
    this.touched.set(userId, nowMicros());
    this.flushTimer ??= setTimeout(() => {
      const activity = this.touched;
      this.touched = new Map();
      this.flushTimer = null;
      this.record(activity).catch(this.onTouchError);
    }, TOUCH_DELAY_MS);
  }

  async snapshot(opts: { fresh?: boolean } = {}): Promise<OnlineSnapshot> {
    if (opts.fresh === true || !this.mirror.isFollowed) await this.mirror.sync();
    return this.mirror.snapshot(this.cutoff());
  }

  /**
   * Keeps this process's copy of the set current from the write stream (onlineMirror.ts), so snapshot() needs
   * no round trip: an API process's start calls it, and calls the returned stop at shutdown.
   */
  follow(onError: (err: unknown) => void): () => void {
    return this.mirror.follow(this.redis.duplicate({ commandTimeout: FOLLOW_COMMAND_TIMEOUT_MS }), onError);
  }

  /** The ids among these that are online now (straight from the set). */
  async online(userIds: readonly string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const scores = await this.redis.zmscore(this.keys.set, ...userIds);
    const cutoff = this.cutoff();
    return new Set(userIds.filter((_, i) => scores[i] !== null && Number(scores[i]) >= cutoff));
  }

  /** Writes what touch() holds now (shutdown). */
  async flush(): Promise<void> {
    if (this.flushTimer !== null) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const activity = this.touched;
    this.touched = new Map();
    await this.record(activity);
  }

  private cutoff(): number {
    return nowMicros() - this.windowSeconds * 1_000_000;
  }
}

export function nowMicros(): number {
  return Date.now() * 1000;
}

/** An RFC 3339 time (already validated) as epoch microseconds; exact within a double up to year 2255. */
export function toEpochMicros(rfc3339: string): number {
  const frac = /\.(\d+)/.exec(rfc3339)?.[1] ?? '';
  const wholeSeconds = Date.parse(rfc3339.replace(/\.\d+/, ''));
  return wholeSeconds * 1000 + Number(frac.padEnd(6, '0').slice(0, 6));
}
