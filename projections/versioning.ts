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

/**
 * The rules every aggregate shares (events.md): only its creating event may name a subject not seen yet, and
 * only once; a version at or below the stored one is a duplicate; anything else is applied, gap or not.
 */
export function evolveVersioned<S extends { version: string }>(
  state: S | undefined,
  event: { subject: string; version: bigint; creates: boolean; created: string },
  apply: () => S,
): Outcome<S> {
  if (state === undefined && !event.creates) return { result: 'rejected', reason: `${event.subject} was never ${event.created}` };
  const check = checkVersion(state === undefined ? undefined : BigInt(state.version), event.version);
  if (check === 'duplicate') return { result: 'duplicate' };
  if (event.creates && state !== undefined) return { result: 'rejected', reason: `${event.subject} is already ${event.created}` };
  // apply() builds a new row (it never returns the state it was given), so setting its version copies nothing.
  const next = apply();
  next.version = event.version.toString();
  return { result: 'applied', state: next, gap: check === 'gap' };
}
