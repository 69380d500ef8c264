// Token activity kept in this process (issue 8): what `rollcall all` uses when no Redis is configured or
// answering. The same rules as the Redis store (shared/activity/onlineStore.ts): the latest activity wins
// whatever order it arrives in, and entries older than the window are dropped.
import { nowMicros, OnlineStatus } from './onlineStore';

export class MemoryOnlineStore implements OnlineStatus {
  private readonly lastActivity = new Map<string, number>();

  constructor(private readonly windowSeconds: number) {}

  async record(activity: ReadonlyMap<string, number>): Promise<void> {
    for (const [userId, micros] of activity) {
      if ((this.lastActivity.get(userId) ?? -Infinity) < micros) this.lastActivity.set(userId, micros);
    }
    this.trim();
  }

  async allOnline(): Promise<string[]> {
    this.trim();
    return [...this.lastActivity.keys()];
  }

  async online(userIds: readonly string[]): Promise<Set<string>> {
    const cutoff = this.cutoff();
    return new Set(userIds.filter((id) => (this.lastActivity.get(id) ?? -Infinity) >= cutoff));
  }

  private cutoff(): number {
    return nowMicros() - this.windowSeconds * 1_000_000;
  }

  private trim(): void {
    const cutoff = this.cutoff();
    for (const [id, micros] of this.lastActivity) if (micros < cutoff) this.lastActivity.delete(id);
  }
}
