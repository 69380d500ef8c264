// shared/kafkaLog.ts: the broker states kafkajs retries by itself are debug lines, until one outlasts 30 s.
import { TransientBrokerStates, TRANSIENT_BOUND_MS } from '../../shared/kafkaLog';

const LOADING = "The coordinator is loading and hence can't process requests for this group";

it('keeps a fresh broker\'s passing states out of warn and error', () => {
  let now = 0;
  const states = new TransientBrokerStates(() => now);
  expect(states.level('error', LOADING)).toBe('debug');
  now += 5_000;
  expect(states.level('error', 'The group coordinator is not available')).toBe('debug');
  expect(states.level('error', 'Connection timeout')).toBe('error'); // not a passing state
  expect(states.level('warn', undefined)).toBe('warn');
});

it('reports a state that outlasts the bound, and starts over after a quiet spell', () => {
  let now = 0;
  const states = new TransientBrokerStates(() => now);
  for (; now <= TRANSIENT_BOUND_MS; now += 1_000) expect(states.level('error', LOADING)).toBe('debug');
  expect(states.level('error', LOADING)).toBe('warn');
  now += TRANSIENT_BOUND_MS + 1;
  expect(states.level('error', LOADING)).toBe('debug');
});
