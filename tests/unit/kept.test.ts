// services/api/listing/kept.ts: a kept answer is given back only at the version it was kept at and before its
// time, and what is held stays under the bound whatever the keys, the keys weighed too. Weights by hand: an
// answer weighs its length here, a key 2 bytes a character plus 100.
import { KeptAnswers } from '../../services/api/listing/kept';

const answer = (n: number) => 'x'.repeat(n);
const kept = (max: number) => new KeptAnswers<string>(max, (a) => a.length);

it('gives an answer back at the version it was kept at, and never at another', () => {
  const cache = kept(1_000);
  cache.set('a', '1', answer(3));
  expect(cache.get('a', '1')).toBe(answer(3));
  expect(cache.get('a', '2')).toBeUndefined();
  expect(cache.get('a', '1')).toBeUndefined(); // dropped when found stale
});

it('drops the least recently used answers past the bound, by their weight and their key', () => {
  const cache = kept(400);
  cache.set('a', '1', answer(98)); // 98 + 102 = 200
  cache.set('b', '1', answer(98)); // 400
  cache.set('c', '1', answer(0)); // 502: a goes
  expect(cache.get('a', '1')).toBeUndefined();
  expect(cache.get('b', '1')).toHaveLength(98);
  expect(cache.get('c', '1')).toHaveLength(0);
  expect(cache.weight).toBe(200 + 102);
});

it('weighs keys: long query strings on empty answers fill the bound as their bytes do', () => {
  const cache = kept(10_000_000);
  const long = 'q'.repeat(30_000); // a 30 KB query string weighs 60,100
  for (let i = 0; i < 400; i++) cache.set(`${long}${i}`, '1', answer(0));
  expect(cache.size).toBeLessThanOrEqual(Math.floor(10_000_000 / 60_104));
  expect(cache.weight).toBeLessThanOrEqual(10_000_000);
});

it('holds a bounded number of empty answers however many keys are asked', () => {
  const cache = kept(5_000);
  for (let i = 0; i < 10_000; i++) cache.set(`k${i}`, '1', answer(0));
  expect(cache.size).toBeLessThanOrEqual(5_000 / 104);
});

it('does not keep an answer heavier than the bound, and drops what its key held', () => {
  const cache = kept(1_000);
  cache.set('big', '1', answer(10));
  cache.set('big', '2', answer(1_000));
  expect(cache.get('big', '1')).toBeUndefined();
  expect(cache.get('big', '2')).toBeUndefined();
});

it('replaces the answer of a key kept again, counting only the new one', () => {
  const cache = kept(1_000);
  cache.set('a', '1', answer(300));
  cache.set('a', '2', answer(300));
  cache.set('b', '2', answer(300));
  expect(cache.get('a', '2')).toHaveLength(300);
  expect(cache.get('b', '2')).toHaveLength(300);
  expect(cache.weight).toBe(2 * 402);
});

it('gives an answer kept until a time back before it, never at or after it', () => {
  const cache = kept(1_000);
  cache.set('online', '1', answer(1), 1_050);
  expect(cache.get('online', '1', 1_049)).toHaveLength(1);
  expect(cache.get('online', '1', 1_050)).toBeUndefined();
});
