// services/projector/batchLimits.ts: after a failure a partition's batches are taken by halves, down to one
// message; each success doubles the limit back until it no longer limits.
import { BatchLimits } from '../../services/projector/batchLimits';

const batch = (n: number) => Array.from({ length: n }, (_, i) => i);

it('takes whole batches until one fails, then halves down to one message', () => {
  const limits = new BatchLimits();
  expect(limits.take(0, batch(100))).toHaveLength(100);
  limits.failed(0, 100);
  expect(limits.take(0, batch(100))).toEqual(batch(50));
  limits.failed(0, 50);
  limits.failed(0, 25);
  limits.failed(0, 12);
  limits.failed(0, 6);
  limits.failed(0, 3);
  expect(limits.take(0, batch(100))).toEqual([0]);
  limits.failed(0, 1);
  expect(limits.take(0, batch(100))).toEqual([0]);
  expect(limits.take(1, batch(100))).toHaveLength(100); // other partitions are not limited
});

it('doubles back after each success until the limit is gone', () => {
  const limits = new BatchLimits();
  limits.failed(3, 2);
  const sizes: number[] = [];
  for (let i = 0; i < 25; i++) {
    sizes.push(limits.take(3, batch(5_000_000)).length);
    limits.succeeded(3);
  }
  expect(sizes.slice(0, 4)).toEqual([1, 2, 4, 8]);
  expect(sizes[sizes.length - 1]).toBe(5_000_000);
});
