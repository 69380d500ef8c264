// Ids in order of a whole-number key (a timestamp's second), stable: a least-significant-digit radix sort,
// 16 bits a pass on keys relative to the least (two passes for spans up to 136 years), each pass in turns
// of the event loop. Keys spanning more than 2^32 fall back to a comparison sort (a directory with dates
// centuries apart), still correct.
import { inTurns } from './yieldEvery';

const BITS = 16;
const RADIX = 1 << BITS;

/** The ids sorted by key(id), ties in their given order; a new array. */
export async function sortBy(ids: Uint32Array, key: (id: number) => number): Promise<Uint32Array> {
  const n = ids.length;
  const keys = new Float64Array(n);
  let [min, max] = [Infinity, -Infinity];
  await inTurns(n, (from, to) => {
    for (let i = from; i < to; i++) {
      const k = key(ids[i] as number);
      keys[i] = k;
      if (k < min) min = k;
      if (k > max) max = k;
    }
  });
  if (n === 0) return new Uint32Array(0);
  if (max - min >= 2 ** 32) return Uint32Array.from([...ids.keys()].sort((a, b) => (keys[a] as number) - (keys[b] as number) || a - b), (i) => ids[i] as number);
  // Plain loops: Uint32Array.from with a mapping function takes 200 ms for a million.
  let [src, srcKeys] = [ids.slice(), new Uint32Array(n)];
  await inTurns(n, (from, to) => {
    for (let i = from; i < to; i++) srcKeys[i] = (keys[i] as number) - min;
  });
  let [dst, dstKeys] = [new Uint32Array(n), new Uint32Array(n)];
  const count = new Int32Array(RADIX);
  for (let shift = 0; shift < 32 && (max - min) / 2 ** shift >= 1; shift += BITS) {
    count.fill(0);
    await inTurns(n, (from, to) => {
      for (let i = from; i < to; i++) {
        const d = ((srcKeys[i] as number) >>> shift) & (RADIX - 1);
        count[d] = (count[d] as number) + 1;
      }
    });
    for (let d = 0, at = 0; d < RADIX; d++) [count[d], at] = [at, at + (count[d] as number)];
    await inTurns(n, (from, to) => {
      for (let i = from; i < to; i++) {
        const d = ((srcKeys[i] as number) >>> shift) & (RADIX - 1);
        const at = count[d] as number;
        count[d] = at + 1;
        dst[at] = src[i] as number;
        dstKeys[at] = srcKeys[i] as number;
      }
    });
    [src, srcKeys, dst, dstKeys] = [dst, dstKeys, src, srcKeys];
  }
  return src;
}
