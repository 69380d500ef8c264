// services/api/index/pushedChanges.ts: when the held index may answer with no round trip. The feed is a plain
// object here (live or not, its epoch): what the real one (changes/changeFeed.ts) reports, set by hand.
import { PushedChanges } from '../../services/api/index/pushedChanges';

const feed = { isLive: true, epoch: 1, subscribe: () => undefined };
const at = (...entries: Array<[string, bigint]>) => new Map(entries);

function pulled(): PushedChanges {
  const p = new PushedChanges(feed);
  p.pullStarts()();
  return p;
}

beforeEach(() => {
  feed.isLive = true;
  feed.epoch = 1;
});

it('is not current before a pull in the feed\'s epoch, and is after one', () => {
  const p = new PushedChanges(feed);
  expect(p.isCurrent('g1', at())).toBe(false);
  p.pullStarts()();
  expect(p.isCurrent('g1', at())).toBe(true);
});

it('is never current while the feed is not live', () => {
  const p = pulled();
  feed.isLive = false;
  expect(p.isCurrent('g1', at())).toBe(false);
});

it('is not current once the feed reconnects, until a pull that started after it', () => {
  const p = new PushedChanges(feed);
  const done = p.pullStarts();
  feed.epoch = 2; // the feed was lost and came back while the pull read
  done();
  expect(p.isCurrent('g1', at())).toBe(false);
  p.pullStarts()();
  expect(p.isCurrent('g1', at())).toBe(true);
});

it('is behind a notice for a partition until the position reaches its checkpoint', () => {
  const p = pulled();
  expect(p.noteBatch('g1', 'events', 0, 10n, at(['events/0', 5n]))).toBe(true);
  expect(p.isCurrent('g1', at(['events/0', 5n]))).toBe(false);
  expect(p.isCurrent('g1', at(['events/0', 9n]))).toBe(false);
  expect(p.isCurrent('g1', at(['events/0', 10n]))).toBe(true);
  expect(p.isCurrent('g1', at(['events/0', 10n], ['events/1', 3n]))).toBe(true);
});

it('is behind a notice for a partition the position has never seen', () => {
  const p = pulled();
  p.noteBatch('g1', 'events', 3, 1n, null);
  expect(p.isCurrent('g1', at(['events/0', 100n]))).toBe(false);
});

it('keeps the latest checkpoint of a partition whatever order notices come in', () => {
  const p = pulled();
  p.noteBatch('g1', 'events', 0, 10n, null);
  expect(p.noteBatch('g1', 'events', 0, 7n, at(['events/0', 8n]))).toBe(false);
  expect(p.isCurrent('g1', at(['events/0', 8n]))).toBe(false);
});

it('keeps each schema apart: a replay\'s batches do not hold back the serving index', () => {
  const p = pulled();
  p.noteBatch('g2', 'events', 0, 1_000n, null);
  expect(p.isCurrent('g1', at(['events/0', 5n]))).toBe(true);
  expect(p.isCurrent('g2', at(['events/0', 5n]))).toBe(false);
});
