// The in-memory page order (services/api/index/topIds.ts) against PostgreSQL's rules, written by hand:
// nulls (NaN) last going up and first going down, ties broken by the next term, only the first N kept.
import { topIds } from '../../services/api/index/topIds';

const LOGIN: Record<number, number> = { 1: 30, 2: NaN, 3: 10, 4: 30, 5: NaN, 6: 20 };
const each = (fn: (id: number) => void) => [6, 5, 4, 3, 2, 1].forEach(fn);
const byLogin = (descending: boolean, idDescending: boolean) => [
  { key: (id: number) => LOGIN[id] as number, descending },
  { key: (id: number) => id, descending: idDescending },
];

it('orders ascending with nulls last, ties by id', () => {
  expect(topIds(each, byLogin(false, false), 6)).toEqual([3, 6, 1, 4, 2, 5]);
});

it('orders descending with nulls first, ties by id descending', () => {
  expect(topIds(each, byLogin(true, true), 6)).toEqual([5, 2, 4, 1, 6, 3]);
});

it('keeps only the first N, whatever order the candidates come in', () => {
  expect(topIds(each, byLogin(false, true), 3)).toEqual([3, 6, 4]);
  expect(topIds((fn) => [1, 2, 3, 4, 5, 6].forEach(fn), byLogin(false, true), 3)).toEqual([3, 6, 4]);
  expect(topIds(each, byLogin(false, true), 0)).toEqual([]);
});
