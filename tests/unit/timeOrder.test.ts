// services/api/index/timeOrder.ts: the present users in order of a timestamp's whole second (ties by slot),
// walked from either end; users without one apart, by slot; users written since the build skipped by the walk
// (the caller ranks them at their current values). Compared with a plain sort written here.
import { TimeOrder } from '../../services/api/index/timeOrder';

const S = 1_000_000; // a second in microseconds
const created = Float64Array.from([NaN, 50, 10, 30, 30, 20, NaN, 40], (s) => s * S);
const login = Float64Array.from([NaN, 5, NaN, NaN, 1, NaN, NaN, 3], (s) => s * S);
const present = (id: number) => id !== 5;

function walked(order: TimeOrder, col: number, descending: boolean, values: Float64Array): Array<[number, number]> {
  const seen: Array<[number, number]> = [];
  order.walk(col, descending, (id) => values[id] as number, (id, second) => seen.push([id, second]) > 0);
  return seen;
}

function nulls(order: TimeOrder, col: number, descending: boolean): number[] {
  const seen: number[] = [];
  order.walkNulls(col, descending, (id) => seen.push(id) > 0);
  return seen;
}

it('walks the present users with a value in order of its second, from either end', async () => {
  const order = await TimeOrder.build([created, login], present);
  expect(walked(order, 0, false, created)).toEqual([[2, 10], [3, 30], [4, 30], [7, 40], [1, 50]]);
  expect(walked(order, 0, true, created).map(([id]) => id)).toEqual([1, 7, 4, 3, 2]);
  expect(walked(order, 1, false, login).map(([id]) => id)).toEqual([4, 7, 1]);
  expect(nulls(order, 0, false)).toEqual([0, 6]);
  expect(nulls(order, 1, true)).toEqual([6, 3, 2, 0]);
});

it('stops where the caller says', async () => {
  const order = await TimeOrder.build([created], present);
  const seen: number[] = [];
  order.walk(0, false, (id) => created[id] as number, (id) => seen.push(id) < 2);
  expect(seen).toEqual([2, 3]);
});

it('skips the users written since the build, and lists them once', async () => {
  const order = await TimeOrder.build([created, login], present);
  order.touch(3);
  order.touch(12);
  order.touch(3);
  expect(walked(order, 0, false, created).map(([id]) => id)).toEqual([2, 4, 7, 1]);
  expect(order.written).toEqual([3, 12]);
});

it('orders thousands of values spread over two centuries as a plain sort does', async () => {
  let seed = 7;
  const random = () => ((seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647);
  const values = Float64Array.from({ length: 5_000 }, () => (random() < 0.1 ? NaN : Math.floor((random() * 200 - 100) * 365 * 86_400) * S + Math.floor(random() * S)));
  const order = await TimeOrder.build([values], () => true);
  const seconds = (id: number) => Math.floor((values[id] as number) / S);
  const expected = [...values.keys()].filter((id) => !Number.isNaN(values[id])).sort((a, b) => seconds(a) - seconds(b) || a - b);
  expect(walked(order, 0, false, values).map(([id]) => id)).toEqual(expected);
});
