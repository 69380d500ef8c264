// events.md, "Ordering, duplicates and gaps": per subject, the highest aggregateversion applied.
export type VersionCheck = 'duplicate' | 'next' | 'gap';

export function checkVersion(stored: bigint | undefined, incoming: bigint): VersionCheck {
  const current = stored ?? 0n;
  if (incoming <= current) return 'duplicate';
  return incoming === current + 1n ? 'next' : 'gap';
}

/** What folding one event did; the projector counts these and dead-letters 'rejected'. */
export type Outcome<S> =
  | { result: 'applied'; state: S; gap: boolean }
  | { result: 'duplicate' }
  | { result: 'rejected'; reason: string };
