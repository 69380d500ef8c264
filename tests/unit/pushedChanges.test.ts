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

// Followed through the primary's feed while reading a replica: the primary's checkpoints, read once the feed is
// live, are what the index waits for (a commit made while the feed was down was never notified).
describe('with the primary\'s checkpoints', () => {
  const settle = () => new Promise((r) => setImmediate(r));

  it('is not current until they are read in this epoch, then until the position reaches them', async () => {
    const asked: string[] = [];
    const p = new PushedChanges(feed, async (schema) => (asked.push(schema), at(['events/0', 12n])));
    p.pullStarts()();
    expect(p.isCurrent('g1', at(['events/0', 12n]))).toBe(false); // not read yet: asks
    expect(p.isCurrent('g1', at(['events/0', 12n]))).toBe(false); // one read at a time
    await settle();
    expect(asked).toEqual(['g1']);
    expect(p.isCurrent('g1', at(['events/0', 11n]))).toBe(false);
    expect(p.isCurrent('g1', at(['events/0', 12n]))).toBe(true);
    expect(asked).toEqual(['g1']);
  });

  it('reads them again after the feed reconnects, and a read the reconnection overtook does not count', async () => {
    let release: (m: Map<string, bigint>) => void = () => undefined;
    const p = new PushedChanges(feed, () => new Promise((r) => (release = r)));
    p.pullStarts()();
    expect(p.isCurrent('g1', at())).toBe(false);
    feed.epoch = 2; // lost and back while the read ran: a commit in between may be in neither
    release(at());
    await settle();
    p.pullStarts()();
    expect(p.isCurrent('g1', at())).toBe(false); // asks again, in epoch 2
    release(at(['events/1', 3n]));
    await settle();
    expect(p.isCurrent('g1', at())).toBe(false);
    expect(p.isCurrent('g1', at(['events/1', 3n]))).toBe(true);
  });

  it('says when the read failed, and stays not current', async () => {
    const heard: unknown[] = [];
    const p = new PushedChanges(feed, async () => Promise.reject(new Error('primary down')), (err) => heard.push(err));
    p.pullStarts()();
    expect(p.isCurrent('g1', at())).toBe(false);
    await settle();
    expect(heard.map((e) => (e as Error).message)).toEqual(['primary down']);
    expect(p.isCurrent('g1', at())).toBe(false);
    expect(heard).toHaveLength(1); // not asked again within a second
  });
});
