// services/api/index/: any 64-bit id held in a dense slot (no id switches the index off or sizes it), id
// bounds exact at every edge, the id order exact past 2^53, and users first seen after the load (out of order)
// found like the others. Expected values are computed here with bigints over the same rows.
import { UserIndex } from '../../services/api/index/userIndex';
import { IndexQuery, PRESENT } from '../../services/api/index/query';
import type { UserRow } from '../../services/api/index/columns';

const IDS = [-(2n ** 63n), -5n, 1n, 2n, 2n ** 25n - 1n, 2n ** 31n, 2n ** 32n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 53n + 2n, 2n ** 63n - 2n, 2n ** 63n - 1n];
const FLAG = 2;
const row = (id: bigint, f = PRESENT, t0: number | null = Number(id % 1000n) * 1e6): UserRow => ({ id: String(id), f, g: [], t0, t1: 0, t2: null, s: '' });
const q = (over: Partial<IndexQuery> = {}): IndexQuery => ({ mask: PRESENT, value: PRESENT, idMin: null, idMax: null, groups: [], times: [], search: [], ...over });

async function loaded(ids: readonly bigint[], later: readonly bigint[] = []): Promise<UserIndex> {
  const index = new UserIndex('gen_test', new Map(), false);
  // The load reads users in id order (load.ts).
  for (const id of [...ids].sort((a, b) => (a < b ? -1 : 1))) index.set(row(id, id % 2n === 0n ? PRESENT | FLAG : PRESENT));
  await index.build();
  for (const id of later) index.set(row(id));
  return index;
}

const sorted = (ids: readonly bigint[], descending: boolean) => [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0) * (descending ? -1 : 1)).map(String);

it('holds a dozen users with ids from -2^63 to 2^63-1 in a few kilobytes', async () => {
  const index = await loaded(IDS);
  expect(index.users).toBe(IDS.length);
  expect(index.bytes).toBeLessThan(1 << 20);
});

it.each([
  [2n ** 32n, null], [2n ** 31n, 2n ** 32n], [2n ** 53n + 1n, null], [null, 2n ** 53n + 1n], [2n ** 63n - 1n, null],
  [null, -(2n ** 63n)], [2n ** 53n + 2n, 2n ** 53n], [-4n, 2n ** 25n - 1n], [3n, 2n ** 25n - 2n],
] as const)('counts ids in [%s, %s] exactly', async (idMin, idMax) => {
  const index = await loaded(IDS, [2n ** 53n + 7n, 3n]);
  const all = [...IDS, 2n ** 53n + 7n, 3n];
  const inRange = all.filter((id) => (idMin === null || id >= idMin) && (idMax === null || id <= idMax));
  expect((await index.ask(q({ idMin, idMax }))).count).toBe(inRange.length);
  const flagged = q({ idMin, idMax, mask: PRESENT | FLAG, value: PRESENT | FLAG });
  expect((await index.ask(flagged)).count).toBe(inRange.filter((id) => IDS.includes(id) && id % 2n === 0n).length);
});

it.each([false, true])('ranks by id exactly past 2^53 (descending: %s), users seen after the load included', async (descending) => {
  const later = [2n ** 53n + 7n, 3n, 2n ** 63n - 3n];
  const index = await loaded(IDS, later);
  const order = [{ column: 'id' as const, descending }];
  expect((await index.ask(q())).top(order, 100)).toEqual(sorted([...IDS, ...later], descending));
  expect((await index.ask(q())).top(order, 5)).toEqual(sorted([...IDS, ...later], descending).slice(0, 5));
});

it('counts exactly as users seen after the load arrive and change', async () => {
  const index = await loaded(IDS);
  const flagged = q({ mask: PRESENT | FLAG, value: PRESENT | FLAG, idMin: 2n ** 53n });
  const before = (await index.ask(flagged)).count;
  index.set(row(2n ** 53n + 100n, PRESENT | FLAG));
  index.set(row(2n ** 53n + 2n, PRESENT));
  index.set(row(10n, PRESENT | FLAG));
  expect((await index.ask(flagged)).count).toBe(before + 1 - 1);
  expect((await index.ask(q({ ...flagged, idMin: 2n ** 53n + 100n, idMax: 2n ** 60n }))).count).toBe(1);
});

it.each([
  [false, false], [true, true], [true, false], [false, true],
])('ranks by a timestamp as PostgreSQL does, nulls greatest and ties by id (descending %s, id descending %s)', async (descending, idDescending) => {
  const index = new UserIndex('gen_test', new Map(), false);
  const DAY = 86_400e6;
  // Values on a few days, several equal, a fifth null; a user written after the load moves to another day.
  const t0 = (id: number) => (id % 5 === 0 ? null : 1.7e15 + (id % 4) * DAY + (id % 3) * 1e6);
  for (let id = 1; id <= 60; id++) index.set({ ...row(BigInt(id)), t0: t0(id) });
  await index.build();
  index.set({ ...row(7n), t0: 1.7e15 + 9 * DAY });
  const value = (id: number) => (id === 7 ? 1.7e15 + 9 * DAY : t0(id));
  const order = [{ column: 0, descending }, { column: 'id' as const, descending: idDescending }];
  const cmp = (a: number, b: number) => {
    const [x, y] = [value(a), value(b)];
    const byValue = x === y ? 0 : x === null ? 1 : y === null ? -1 : x < y ? -1 : 1;
    return (descending ? -byValue : byValue) || (idDescending ? b - a : a - b);
  };
  const expected = Array.from({ length: 60 }, (_, i) => i + 1).sort(cmp).map(String);
  for (const n of [1, 5, 13, 60]) expect((await index.ask(q())).top(order, n)).toEqual(expected.slice(0, n));
});

it('cannot hold a timestamp past 2^53 µs from 1970 (the load reads infinity as such) and holds one just within', () => {
  const index = new UserIndex('gen_test', new Map(), false);
  expect(index.set(row(1n, PRESENT, Number.MAX_SAFE_INTEGER))).toBe(true);
  expect(index.set(row(2n, PRESENT, -Number.MAX_SAFE_INTEGER))).toBe(true);
  for (const t of [Infinity, -Infinity, Number.MAX_SAFE_INTEGER + 2]) expect(index.set(row(3n, PRESENT, t))).toBe(false);
});

it('counts group members exactly past 65,535 distinct sets of groups (two bytes a user until then)', async () => {
  const index = new UserIndex('gen_test', new Map(), false);
  const n = 70_000;
  index.setGroups(Array.from({ length: n + 1 }, (_, g) => ({ id: String(g), deleted: false })));
  // User i is in groups i and i + 1: every user a set of its own.
  for (let i = 0; i < n; i++) index.set({ ...row(BigInt(i + 1)), g: [i, i + 1] });
  await index.build();
  for (const g of [0, 1, 65_535, 65_536, 69_999, n]) expect((await index.ask(q({ groups: [[g]] }))).count).toBe(g === 0 || g === n ? 1 : 2);
  index.set({ ...row(70_000n), g: [] });
  expect((await index.ask(q({ groups: [[70_000]] }))).count).toBe(0);
});
