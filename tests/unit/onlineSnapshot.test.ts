// shared/activity/onlineSnapshot.ts: what keeps an answer that read the online set (listing/kept.ts): the
// table's version moves when someone becomes online, and a snapshot's answers hold until its first online user
// passes the window. Expected times are worked out by hand from the window and the activity times written.
import { ActivityTable } from '../../shared/activity/onlineSnapshot';

const WINDOW_S = 300;
const now = () => Date.now() * 1000;
const table = () => new ActivityTable(WINDOW_S * 1_000_000);

it('moves its version when a user becomes online, not when an online user is active again', () => {
  const t = table();
  t.record('1', now());
  const v = t.version;
  t.record('1', now() + 1_000);
  expect(t.version).toBe(v);
  t.record('2', now());
  expect(t.version).not.toBe(v);
});

// A user's first activity, then another, each so many seconds before now: whether the version moves.
it.each([
  ['moves its version when a user offline for good is active again', WINDOW_S + 10, 0, true],
  ['keeps its version for an activity older than the one held', WINDOW_S + 10, WINDOW_S + 20, false],
])('%s', (_, first, second, moves) => {
  const t = table();
  t.record('1', now() - first * 1_000_000);
  const v = t.version;
  t.record('1', now() - second * 1_000_000);
  expect(t.version !== v).toBe(moves);
});

it('holds a snapshot until its first online user passes the window, users offline already aside', () => {
  const t = table();
  const at = now();
  t.record('gone', at - (WINDOW_S + 5) * 1_000_000);
  t.record('first', at - 200 * 1_000_000); // offline in 100 s
  t.record('later', at - 10 * 1_000_000); // in 290 s
  const cutoff = at - WINDOW_S * 1_000_000;
  const until = t.at(cutoff).keptUntil();
  expect(Math.abs(until - (Date.now() + 100_000))).toBeLessThan(50);
});

it('holds a snapshot with nobody online until something is written', () => {
  const t = table();
  expect(t.at(now() - WINDOW_S * 1_000_000).keptUntil()).toBe(Infinity);
});
