// Whether the held index is current without asking PostgreSQL: the change feed (services/api/changes/) names,
// per partition, the checkpoint each committed batch reached; the index is current when it has applied at least
// that on every partition, and it has been refreshed once since the feed last (re)connected (notices may have
// gone unheard before). Comparing offsets rather than counting notices also holds on a read replica: a notice
// from the primary for a batch the replica has not replayed yet leaves the index behind, and it asks again.
// A replica followed through the primary's feed (a standby cannot LISTEN) has one more gap: a commit made while
// the feed was down, that the replica had not replayed when the refresh after it read, was never noticed. So
// there the primary's own checkpoints (`committed`), read once the feed is live, are what the index waits for.

import type { HeardChange } from '../../../projections/changeNotice';

/** The part of the change feed the index reads (services/api/changes/changeFeed.ts implements it). */
export interface PushedFeed {
  readonly isLive: boolean;
  /** Changes at every (re)connection and generation switch: notices may have gone unheard. */
  readonly epoch: number;
  subscribe(fn: (e: HeardChange) => void): unknown;
}

type Position = ReadonlyMap<string, bigint>;

/** The checkpoints (`topic/partition` → next offset) the database whose feed is heard has committed in `schema`. */
export type CommittedCheckpoints = (schema: string) => Promise<Position>;

/** A failed read of the committed checkpoints is tried again no sooner than this. */
const RETRY_MS = 1_000;

export class PushedChanges {
  /** Per schema, `topic/partition` → the latest checkpoint a notice named (a replay's schema has its own). */
  private readonly wanted = new Map<string, Map<string, bigint>>();
  /** The feed's epoch when the last pull started: notices before it may have gone unheard, the pull read them. */
  private pulledIn = -1;
  /** Per schema, the feed's epoch in which its committed checkpoints were read (only with `committed`). */
  private readonly learnt = new Map<string, number>();
  /** `epoch/schema` of a read under way or failed, and when it started: one at a time, retried at most every RETRY_MS. */
  private readonly asked = new Map<string, number>();

  /** `learnt` is told when a read of `committed` ends (an error if it failed), so the index can catch up at once. */
  constructor(private readonly feed: PushedFeed, private readonly committed: CommittedCheckpoints | null = null, private readonly onLearnt: (err?: unknown) => void = () => undefined) {}

  /** Records a committed batch; true when `position` has not applied it yet. */
  noteBatch(schema: string, topic: string, partition: number, nextOffset: bigint, position: Position | null): boolean {
    const key = `${topic}/${partition}`;
    this.want(schema, key, nextOffset);
    return position === null || (position.get(key) ?? 0n) < nextOffset;
  }

  private want(schema: string, key: string, offset: bigint): void {
    let wanted = this.wanted.get(schema);
    if (wanted === undefined) this.wanted.set(schema, (wanted = new Map()));
    if ((wanted.get(key) ?? -1n) < offset) wanted.set(key, offset);
  }

  /** A pull (a refresh or a load) starts: what it reads covers every notice before now, whatever its schema. */
  pullStarts(): () => void {
    const epoch = this.feed.epoch;
    return () => {
      this.pulledIn = epoch;
    };
  }

  get isLive(): boolean {
    return this.feed.isLive;
  }

  /** Whether an index of `schema` at `position` is current now, with no round trip. */
  isCurrent(schema: string, position: Position): boolean {
    if (!this.feed.isLive || this.pulledIn !== this.feed.epoch || !this.knowsCommitted(schema)) return false;
    for (const [key, offset] of this.wanted.get(schema) ?? []) if ((position.get(key) ?? 0n) < offset) return false;
    return true;
  }

  /** Whether what was committed before this epoch's notices is known (always, without `committed`); if not, asks. */
  private knowsCommitted(schema: string): boolean {
    if (this.committed === null || this.learnt.get(schema) === this.feed.epoch) return true;
    this.learn(this.committed, schema);
    return false;
  }

  /** Called only while the feed is live: every commit after this read starts is noticed, every one before it read. */
  private learn(committed: CommittedCheckpoints, schema: string): void {
    const epoch = this.feed.epoch;
    const key = `${epoch}/${schema}`;
    const since = this.asked.get(key);
    if (since !== undefined && (since === Infinity || Date.now() - since < RETRY_MS)) return;
    for (const k of this.asked.keys()) if (!k.startsWith(`${epoch}/`)) this.asked.delete(k); // past epochs'
    this.asked.set(key, Infinity);
    committed(schema).then(
      (checkpoints) => {
        this.asked.delete(key);
        for (const [k, offset] of checkpoints) this.want(schema, k, offset);
        // Lost meanwhile: a commit after the loss may be missing from what was read, and unheard.
        if (this.feed.epoch === epoch) this.learnt.set(schema, epoch);
        this.onLearnt();
      },
      (err: unknown) => {
        this.asked.set(key, Date.now());
        this.onLearnt(err);
      },
    );
  }
}
