// Token activity kept in this process (issue 8): what `rollcall all` uses when no Redis is configured or
// answering. The same rules as the Redis store (shared/activity/onlineStore.ts): the latest activity wins
// whatever order it arrives in, and entries older than the window are dropped.
import { nowMicros, OnlineStatus } from './onlineStore';
import { ActivityTable, OnlineSnapshot } from './onlineSnapshot';

export class MemoryOnlineStore implements OnlineStatus {
  private readonly table: ActivityTable;

  constructor(private readonly windowSeconds: number) {
    this.table = new ActivityTable(windowSeconds * 1_000_000);
  }

  async record(activity: ReadonlyMap<string, number>): Promise<void> {
    for (const [userId, micros] of activity) this.table.record(userId, micros);
    this.table.prune(this.cutoff());
  }

  touch(userId: string): void {
    this.table.record(userId, nowMicros());
  }

  async snapshot(): Promise<OnlineSnapshot> {
    return this.table.at(this.cutoff());
  }

  async online(userIds: readonly string[]): Promise<Set<string>> {
    const now = this.table.at(this.cutoff());
    return new Set(userIds.filter((id) => now.has(id)));
  }

  /** Nothing waits: touch() records at once. */
  async flush(): Promise<void> {}

  private cutoff(): number {
    return nowMicros() - this.windowSeconds * 1_000_000;
  }
}
