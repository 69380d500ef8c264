// kafkajs logs at error level the broker states it retries by itself: a fresh broker's group coordinator
// loading, a leader election, a rebalance. On a normal first start they are noise that reads like a failure,
// so they go to debug, and to warn only when the same one outlasts a bound (then it is not a passing state).
const TRANSIENT = [
  /coordinator is loading/i,
  /group coordinator is not available/i,
  /not the correct coordinator/i,
  /leadership election/i,
  /leader (is )?not available/i,
  /group is rebalancing|rebalance in progress/i,
];
/** How long one transient state may last before it is reported. */
export const TRANSIENT_BOUND_MS = 30_000;

export class TransientBrokerStates {
  private readonly seen = new Map<string, { first: number; last: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The level for a kafkajs log line of this level about this error. */
  level(level: 'error' | 'warn' | 'debug', error: unknown): 'error' | 'warn' | 'debug' {
    if (level === 'debug' || typeof error !== 'string' || !TRANSIENT.some((re) => re.test(error))) return level;
    const now = this.now();
    const state = this.seen.get(error);
    // Seen again within the bound: the same spell goes on. Otherwise a new one starts.
    const first = state !== undefined && now - state.last <= TRANSIENT_BOUND_MS ? state.first : now;
    this.seen.set(error, { first, last: now });
    return now - first > TRANSIENT_BOUND_MS ? 'warn' : 'debug';
  }
}
