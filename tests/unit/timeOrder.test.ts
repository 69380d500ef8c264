// services/api/listing/timeOrder.ts: a date range's candidates are the users whose value (as built) lies in
// [from, to), in one slice, plus every user written since.
import { TimeOrder } from '../../services/api/index/timeOrder';

const S = 1_000_000; // a second in microseconds
const created = Float64Array.from([NaN, 50, 10, 30, 30, 20, NaN, 40], (s) => s * S);
const login = Float64Array.from([NaN, 5, NaN, NaN, 1, NaN, NaN, 3], (s) => s * S);
const present = (id: number) => id !== 5;

function idsIn(order: TimeOrder, ranges: Array<{ col: number; from: number; to: number }>): number[] {
  const ids: number[] = [];
  order.each(order.narrowest(ranges), (id) => ids.push(id));
  return ids;
}

it.each([
  [{ col: 0, from: 20 * S, to: 40 * S }, [3, 4]],
  [{ col: 0, from: -Infinity, to: 30 * S }, [2]],
  [{ col: 0, from: 30 * S, to: Infinity }, [3, 4, 7, 1]],
  [{ col: 0, from: 60 * S, to: Infinity }, []],
  [{ col: 1, from: -Infinity, to: Infinity }, [4, 7, 1]],
])('slices %j to the present users %j, in order of the value', async (range, expected) => {
  expect(idsIn(await TimeOrder.build([created, login], present), [range])).toEqual(expected);
});

it('keeps every user of a second a bound falls inside (the caller tests each candidate)', async () => {
  const order = await TimeOrder.build([created, login], present);
  expect(idsIn(order, [{ col: 0, from: 30 * S + 1, to: 40 * S + 1 }])).toEqual([3, 4, 7]);
});

it('reads the narrowest of several ranges', async () => {
  const order = await TimeOrder.build([created, login], present);
  expect(order.narrowest([{ col: 0, from: 0, to: Infinity }, { col: 1, from: 2 * S, to: 4 * S }])).toEqual({ col: 1, lo: 1, hi: 2, size: 1 });
});

it('adds every user written since the build, whatever its value was', async () => {
  const order = await TimeOrder.build([created, login], present);
  order.touch(2);
  order.touch(12);
  order.touch(2);
  expect(idsIn(order, [{ col: 0, from: 20 * S, to: 40 * S }])).toEqual([3, 4, 2, 12]);
  expect(idsIn(order, [{ col: 0, from: 10 * S, to: 11 * S }])).toEqual([2, 12]);
});

it('orders thousands of values spread over two centuries as a plain sort does', async () => {
  let seed = 7;
  const random = () => ((seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647);
  const values = Float64Array.from({ length: 5_000 }, () => (random() < 0.1 ? NaN : Math.floor((random() * 200 - 100) * 365 * 86_400) * S + Math.floor(random() * S)));
  const order = await TimeOrder.build([values], () => true);
  const all: number[] = [];
  order.each(order.narrowest([{ col: 0, from: -Infinity, to: Infinity }]), (id) => all.push(id));
  const seconds = (id: number) => Math.floor((values[id] as number) / S);
  const expected = [...values.keys()].filter((id) => !Number.isNaN(values[id])).sort((a, b) => seconds(a) - seconds(b) || a - b);
  expect(all).toEqual(expected);
});
