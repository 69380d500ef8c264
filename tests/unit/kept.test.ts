// services/api/listing/kept.ts: a kept answer is given back only at the version it was kept at and before its
// time, and what is held stays under the bound whatever the keys.
import { KeptAnswers } from '../../services/api/listing/kept';

const rows = (n: number) => Array.from({ length: n }, (_, i) => i);
const kept = (max: number) => new KeptAnswers<number[]>(max, (r) => r.length + 1);

it('gives an answer back at the version it was kept at, and never at another', () => {
  const cache = kept(100);
  const answer = rows(3);
  cache.set('a', '1', answer);
  expect(cache.get('a', '1')).toBe(answer);
  expect(cache.get('a', '2')).toBeUndefined();
  expect(cache.get('a', '1')).toBeUndefined(); // dropped when found stale
});

it('drops the oldest answers past the bound, by their weight', () => {
  const cache = kept(10);
  cache.set('a', '1', rows(4)); // weighs 5
  cache.set('b', '1', rows(4)); // 10
  cache.set('c', '1', rows(0)); // 11: a goes
  expect(cache.get('a', '1')).toBeUndefined();
  expect(cache.get('b', '1')).toHaveLength(4);
  expect(cache.get('c', '1')).toHaveLength(0);
});

it('holds a bounded number of empty answers however many keys are asked', () => {
  const cache = kept(50);
  for (let i = 0; i < 10_000; i++) cache.set(`k${i}`, '1', rows(0));
  expect(cache.size).toBe(50);
});

it('does not keep an answer heavier than the bound', () => {
  const cache = kept(10);
  cache.set('big', '1', rows(10));
  expect(cache.get('big', '1')).toBeUndefined();
});

it('replaces the answer of a key kept again, counting only the new one', () => {
  const cache = kept(10);
  cache.set('a', '1', rows(4));
  cache.set('a', '2', rows(4));
  cache.set('b', '2', rows(4));
  expect(cache.get('a', '2')).toHaveLength(4);
  expect(cache.get('b', '2')).toHaveLength(4);
});

it('gives an answer kept until a time back before it, never at or after it', () => {
  const cache = kept(10);
  cache.set('online', '1', rows(1), 1_050);
  expect(cache.get('online', '1', 1_049)).toHaveLength(1);
  expect(cache.get('online', '1', 1_050)).toBeUndefined();
});
