// services/api/index/userIndex.ts (issue 25, finding 4): a page ordered by a nullable timestamp then another
// term reads what the page needs, not every matching null. The work is counted as the timestamps the ranking
// reads (UserColumns#time); the pages are compared with a sort written here, PostgreSQL's order of nulls
// (greatest: first going down, last going up) and the id tie-break the parser always adds.
import { UserIndex } from '../../services/api/index/userIndex';
import { UserColumns } from '../../services/api/index/columns';
import { IndexQuery, NumericTerm, PRESENT } from '../../services/api/index/query';

const USERS = 60_000;
const DAY = 86_400e6;
const BASE = 1.7e15;
/** 100 users a day of created_at (two share each value), one in twenty with a last_login, one in fifty with an updated_at. */
const created = (id: number) => BASE + Math.floor(id / 100) * DAY + Math.floor((id * 7919) % 100 / 2) * 1e6;
const login = (id: number) => (id % 20 === 0 ? BASE + (id % 37) * DAY + id : null);
const updated = (id: number) => (id % 50 === 0 ? BASE + (id % 11) * DAY : null);
const values = (id: number) => [created(id), updated(id), login(id)] as const;
const q: IndexQuery = { mask: PRESENT, value: PRESENT, idMin: null, idMax: null, groups: [], times: [], search: [] };

let index: UserIndex;
beforeAll(async () => {
  index = new UserIndex('gen_test', new Map(), false);
  for (let id = 1; id <= USERS; id++) index.set({ id, f: PRESENT, g: [], t0: created(id), t1: updated(id), t2: login(id), s: '' });
  await index.build();
});

/** PostgreSQL's order of the users by the terms: nulls greatest, ids as numbers. */
function expected(order: readonly NumericTerm[], n: number): string[] {
  const key = (id: number, t: NumericTerm): number | null => (t.column === 'id' ? id : values(id)[t.column] ?? null);
  const ids = Array.from({ length: USERS }, (_, i) => i + 1);
  ids.sort((a, b) => {
    for (const t of order) {
      const [x, y] = [key(a, t), key(b, t)];
      const c = x === y ? 0 : x === null ? 1 : y === null ? -1 : x < y ? -1 : 1;
      if (c !== 0) return t.descending ? -c : c;
    }
    return 0;
  });
  return ids.slice(0, n).map(String);
}

const ORDERS: ReadonlyArray<[string, NumericTerm[]]> = [
  ['-last_login,created_at', [{ column: 2, descending: true }, { column: 0, descending: false }, { column: 'id', descending: false }]],
  ['-last_login,-created_at', [{ column: 2, descending: true }, { column: 0, descending: true }, { column: 'id', descending: true }]],
  ['last_login,-created_at (a page past the values)', [{ column: 2, descending: false }, { column: 0, descending: true }, { column: 'id', descending: false }]],
  ['-last_login,-updated_at,created_at (nulls of both)', [{ column: 2, descending: true }, { column: 1, descending: true }, { column: 0, descending: false }, { column: 'id', descending: false }]],
];

it.each(ORDERS)('ranks %s as PostgreSQL does, reading timestamps for the page, not for every null', async (_name, order) => {
  const answer = await index.ask(q);
  // 57,000 users have no last_login; a page of 50 (and one reaching past the 3,000 with one) reads a few days' users.
  for (const n of [50, 3_100]) {
    const reads = jest.spyOn(UserColumns.prototype, 'time');
    const top = answer.top(order, n);
    const read = reads.mock.calls.length;
    reads.mockRestore();
    expect(top).toEqual(expected(order, n));
    // The candidates: the page and at most a day's users past it, each read by its first term and a few dozen
    // times as the ranking places it among the page (a binary search of n); every null read once alone is 57,000.
    expect(read).toBeLessThan(60 * (n + 200));
  }
});
