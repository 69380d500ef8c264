// Whether the held index is current without asking PostgreSQL: the change feed (services/api/changes/) names,
// per partition, the checkpoint each committed batch reached; the index is current when it has applied at least
// that on every partition, and it has been refreshed once since the feed last (re)connected (notices may have
// gone unheard before). Comparing offsets rather than counting notices also holds on a read replica: a notice
// from the primary for a batch the replica has not replayed yet leaves the index behind, and it asks again.

import type { HeardChange } from '../../../projections/changeNotice';

/** The part of the change feed the index reads (services/api/changes/changeFeed.ts implements it). */
export interface PushedFeed {
  readonly isLive: boolean;
  /** Changes at every (re)connection and generation switch: notices may have gone unheard. */
  readonly epoch: number;
  subscribe(fn: (e: HeardChange) => void): unknown;
}

type Position = ReadonlyMap<string, bigint>;

export class PushedChanges {
  /** Per schema, `topic/partition` → the latest checkpoint a notice named (a replay's schema has its own). */
  private readonly wanted = new Map<string, Map<string, bigint>>();
  /** The feed's epoch when the last pull started: notices before it may have gone unheard, the pull read them. */
  private pulledIn = -1;

  constructor(private readonly feed: PushedFeed) {}

  /** Records a committed batch; true when `position` has not applied it yet. */
  noteBatch(schema: string, topic: string, partition: number, nextOffset: bigint, position: Position | null): boolean {
    let wanted = this.wanted.get(schema);
    if (wanted === undefined) this.wanted.set(schema, (wanted = new Map()));
    const key = `${topic}/${partition}`;
    if ((wanted.get(key) ?? -1n) < nextOffset) wanted.set(key, nextOffset);
    return position === null || (position.get(key) ?? 0n) < nextOffset;
  }

  /** A pull (a refresh or a load) starts: what it reads covers every notice before now, whatever its schema. */
  pullStarts(): () => void {
    const epoch = this.feed.epoch;
    return () => {
      this.pulledIn = epoch;
    };
  }

  /** Whether an index of `schema` at `position` is current now, with no round trip. */
  isCurrent(schema: string, position: Position): boolean {
    if (!this.feed.isLive || this.pulledIn !== this.feed.epoch) return false;
    for (const [key, offset] of this.wanted.get(schema) ?? []) if ((position.get(key) ?? 0n) < offset) return false;
    return true;
  }
}
