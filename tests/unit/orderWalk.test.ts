// services/api/index/orderWalk.ts: the first users of a page by walking the ordering equal the first users of
// the whole matching list sorted here (nulls greatest, ties by id in the tie's direction), whatever was
// written since the order was built.
import { walkTop, Walkable } from '../../services/api/index/orderWalk';
import { TimeOrder } from '../../services/api/index/timeOrder';
import { NumericTerm } from '../../services/api/index/query';

const S = 1_000_000;
const SIZE = 400;
/** Slots out of id order (index/slots.ts): written after the build, so the timestamp orders list them as written. */
const FAR = [SIZE + 3, SIZE + 1];

/** Values by id: seconds with a fraction (so ties within a second happen), a tenth null, some equal. */
function world(seed: number) {
  let x = seed;
  const random = () => ((x = (x * 48_271) % 2_147_483_647) / 2_147_483_647);
  const values = new Map<number, number>();
  for (let id = 0; id < SIZE; id++) values.set(id, random() < 0.1 ? NaN : Math.floor(random() * 60) * S + (random() < 0.3 ? 0 : Math.floor(random() * S)));
  FAR.forEach((id) => values.set(id, Math.floor(random() * 60) * S));
  const matching = new Set([...values.keys()].filter(() => random() < 0.3));
  return { values, matching };
}

async function walkable(values: Map<number, number>, matching: Set<number>): Promise<Walkable & { order: TimeOrder }> {
  const column = Float64Array.from({ length: SIZE }, (_, id) => values.get(id) as number);
  const order = await TimeOrder.build([column], () => true);
  FAR.forEach((id) => order.touch(id));
  return {
    sortedSize: SIZE, unsorted: FAR, passes: (id) => matching.has(id), value: (_, id) => values.get(id) as number, order,
    keys: [],
  };
}

/** The reference: every matching user sorted by value (nulls greatest) then id. */
function expected(values: Map<number, number>, matching: Set<number>, order: NumericTerm[], n: number): number[] {
  const [first, tie] = order as [NumericTerm, NumericTerm | undefined];
  const v = (id: number) => (first.column === 'id' ? id : (values.get(id) as number));
  const cmp = (a: number, b: number) => (Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : Number.isNaN(b) ? -1 : a - b);
  return [...matching].sort((a, b) => (first.descending ? -1 : 1) * cmp(v(a), v(b)) || (tie?.descending ?? first.descending ? b - a : a - b)).slice(0, n);
}

const keysOf = (values: Map<number, number>, order: NumericTerm[]) =>
  order.map(({ column, descending }) => ({ key: column === 'id' ? (id: number) => id : (id: number) => values.get(id) as number, descending }));

const ORDERS: NumericTerm[][] = [
  [{ column: 0, descending: true }, { column: 'id', descending: true }],
  [{ column: 0, descending: false }, { column: 'id', descending: false }],
  [{ column: 0, descending: true }, { column: 'id', descending: false }],
  [{ column: 'id', descending: true }],
  [{ column: 'id', descending: false }],
];

it.each(ORDERS.flatMap((order) => [1, 10, 100, 500].map((n) => [order, n] as const)))('walks %j to the first %d users', async (order, n) => {
  for (const seed of [3, 11, 29]) {
    const { values, matching } = world(seed);
    const w = await walkable(values, matching);
    expect(walkTop({ ...w, keys: keysOf(values, order) }, order, n, 10_000)).toEqual(expected(values, matching, order, n));
  }
});

it('finds users written since the order was built at their new values', async () => {
  const { values, matching } = world(5);
  const w = await walkable(values, matching);
  const moved = [...matching].filter((id) => id >= 0 && id < SIZE).slice(0, 40);
  moved.forEach((id, i) => {
    values.set(id, i % 4 === 0 ? NaN : (i % 2 === 0 ? 61 : -1) * S + i);
    w.order.touch(id);
  });
  for (const order of ORDERS) expect(walkTop({ ...w, keys: keysOf(values, order) }, order, 20, 10_000)).toEqual(expected(values, matching, order, 20));
});

it('gives up on orderings it cannot walk, and on walks past its budget', async () => {
  const { values } = world(1);
  const w = await walkable(values, new Set([SIZE - 1]));
  expect(walkTop(w, [{ column: 0, descending: true }, { column: 1, descending: true }, { column: 'id', descending: true }], 10, 10_000)).toBeNull();
  const few = { ...w, sortedSize: 200_000, value: () => 0, passes: () => false };
  expect(walkTop({ ...few, keys: [] }, [{ column: 'id', descending: false }], 10, 10_000)).toBeNull();
  const last = { ...w, keys: keysOf(values, [{ column: 'id', descending: false }]), unsorted: [] };
  expect(walkTop(last, [{ column: 'id', descending: false }], 10, SIZE - 1)).toBeNull();
  expect(walkTop(last, [{ column: 'id', descending: false }], 10, SIZE)).toEqual([SIZE - 1]);
});
