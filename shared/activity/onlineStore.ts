// Last token activity per user, in one Redis sorted set (member: user id, score: epoch microseconds).
// ZADD GT keeps the latest activity whatever order it arrives in; entries older than the online window
// are trimmed, so memory follows the number of users online, not the number of users.
import Redis from 'ioredis';

/** Who is online: Redis (below) in every deployment, or in-process memory for `rollcall all` alone (issue 8). */
export interface OnlineStatus {
  /** Records activity at the given times (epoch microseconds). */
  record(activity: ReadonlyMap<string, number>): Promise<void>;
  /** Every user online now. */
  allOnline(): Promise<string[]>;
  /** The ids among these that are online now. */
  online(userIds: readonly string[]): Promise<Set<string>>;
}

export class OnlineStore implements OnlineStatus {
  private readonly key: string;

  constructor(private readonly redis: Redis, prefix: string, private readonly windowSeconds: number) {
    this.key = `${prefix}last-activity`;
  }

  /** Records activity at the given times (epoch microseconds), one round trip for the lot. */
  async record(activity: ReadonlyMap<string, number>): Promise<void> {
    if (activity.size === 0) return;
    const args: Array<string | number> = [];
    for (const [userId, micros] of activity) args.push(micros, userId);
    const cutoff = nowMicros() - this.windowSeconds * 1_000_000;
    await this.redis.multi().zadd(this.key, 'GT', ...args).zremrangebyscore(this.key, '-inf', `(${cutoff}`).exec();
  }

  /** Every user online now. */
  async allOnline(): Promise<string[]> {
    const cutoff = nowMicros() - this.windowSeconds * 1_000_000;
    return this.redis.zrangebyscore(this.key, cutoff, '+inf');
  }

  /** The ids among these that are online now. */
  async online(userIds: readonly string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const scores = await this.redis.zmscore(this.key, ...userIds);
    const cutoff = nowMicros() - this.windowSeconds * 1_000_000;
    return new Set(userIds.filter((_, i) => scores[i] !== null && Number(scores[i]) >= cutoff));
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
