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
  expect((await index.ask(q())).walk(order, 5, 10_000)).toEqual(sorted([...IDS, ...later], descending).slice(0, 5));
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
