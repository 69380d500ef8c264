// The first N ids in an order of numbers, from one pass over the candidates: a bounded, sorted list of the
// best seen so far, so the cost follows the candidates, not N log N of all of them. PostgreSQL's order of
// nulls: last going up, first going down (a null is greater than every value); here a null is NaN.

/** A key of the order; `tie` decides between equal keys exactly (ids past 2^53 share a number). */
export type Key = Readonly<{ key: (id: number) => number; descending: boolean; tie?: (a: number, b: number) => number }>;

const compareKeys = (k: Key, ka: number, kb: number, a: number, b: number): number => nullsGreatest(ka, kb) || (k.tie?.(a, b) ?? 0);

export function topIds(each: (fn: (id: number) => void) => void, order: readonly Key[], n: number): number[] {
  const best: number[] = [];
  const firstKeys: number[] = [];
  const [first, ...rest] = order;
  if (n <= 0 || first === undefined) return best;
  const sign = first.descending ? -1 : 1;
  const compareRest = (a: number, b: number): number => {
    for (const k of rest) {
      const c = compareKeys(k, k.key(a), k.key(b), a, b);
      if (c !== 0) return k.descending ? -c : c;
    }
    return 0;
  };
  // The first term's value is read once per candidate; most candidates are turned away by it alone.
  const compare = (ka: number, a: number, kb: number, b: number): number => sign * compareKeys(first, ka, kb, a, b) || compareRest(a, b);
  each((id) => {
    const k = first.key(id);
    if (best.length === n) {
      const w = firstKeys[n - 1] as number;
      // Most candidates are turned away here, a number past the n-th's, before any call (NaN !== NaN: nulls go on).
      if (k === k && w === w && (sign > 0 ? k > w : k < w)) return;
      if (compare(k, id, w, best[n - 1] as number) >= 0) return;
    }
    let lo = 0;
    let hi = best.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compare(firstKeys[mid] as number, best[mid] as number, k, id) <= 0) lo = mid + 1;
      else hi = mid;
    }
    best.splice(lo, 0, id);
    firstKeys.splice(lo, 0, k);
    if (best.length > n) {
      best.pop();
      firstKeys.pop();
    }
  });
  return best;
}

function nullsGreatest(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
  if (Number.isNaN(b)) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}
