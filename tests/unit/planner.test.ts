// services/api/listing/plan/planner.ts: which source counts a request and how its page is found, for requests
// parsed as the API parses them, and each threshold at its edge (one below, at, one above).
import { listRequest } from '../../services/api/listing/parse/listRequest';
import { pageAfterCount, plan, THRESHOLDS, wantsIndex } from '../../services/api/listing/plan/planner';
import { parseQueryString } from '../../services/api/queryString';
import { customersEndpoint } from '../../services/api/customers/endpoint';

const req = (qs: string) => listRequest(parseQueryString(qs), customersEndpoint, { schema: 'gen_1' }, 1000);

describe('with the index loaded', () => {
  it.each([
    ['', { count: 'sql', page: { by: 'sql', filterFirst: false } }],
    ['has_email=true', { count: 'sql', page: { by: 'sql', filterFirst: false } }],
    ['has_email=true&is_active=false', { count: 'index', page: 'after-count' }],
    ['is_online=true', { count: 'index-online', page: 'after-count' }],
    ['search=ada', { count: 'index', page: 'after-count' }],
    ['search=ada&ordering=username', { count: 'index', page: { by: 'sql', filterFirst: false } }],
    ['has_email=true&is_active=false&ordering=-last_login', { count: 'index', page: 'after-count' }],
    ['search=ada&offset=995&limit=10', { count: 'index', page: { by: 'sql', filterFirst: false } }],
    ['search=ada&offset=990&limit=10', { count: 'index', page: 'after-count' }],
    ['updated_to=2023-03-01', { count: 'index', page: 'after-count' }],
    ['updated_from=2023-03-01', { count: 'sql', page: { by: 'sql', filterFirst: false } }],
    ['offset=10000&ordering=username', { count: 'sql', page: { by: 'counters-offset' } }],
    ['offset=9999&ordering=username', { count: 'sql', page: { by: 'sql', filterFirst: false } }],
    ['offset=10000&ordering=email', { count: 'sql', page: { by: 'sql', filterFirst: false } }],
  ])('plans %j', (qs, expected) => {
    expect(plan(req(qs), true)).toEqual(expected);
  });
});

describe('with the index loading (or not holding the query)', () => {
  it.each([
    ['has_email=true&is_active=false', { count: 'sql', page: { by: 'sql', filterFirst: false } }],
    ['is_online=false', { count: 'sql-online', page: { by: 'sql-online', among: 'online' } }],
    ['search=ada', { count: 'sql', page: { by: 'sql', filterFirst: false } }],
    ['updated_to=2023-03-01', { count: 'sql', page: 'after-count' }],
  ])('plans %j', (qs, expected) => {
    expect(plan(req(qs), false)).toEqual(expected);
  });
});

it('leaves a groups_in clause of more distinct ids than indexGroupsMax to PostgreSQL, counting a repeated id once', () => {
  const ids = (n: number) => Array.from({ length: n }, (_, i) => i + 1).join(',');
  expect(wantsIndex(req(`groups_in=${ids(THRESHOLDS.indexGroupsMax)}&has_email=true`))).toBe(true);
  expect(wantsIndex(req(`groups_in=${ids(THRESHOLDS.indexGroupsMax + 1)}&has_email=true`))).toBe(false);
  expect(wantsIndex(req(`groups_in=${Array(5_000).fill(7).join(',')}&has_email=true`))).toBe(true);
});

it('leaves a search of terms the index cannot fold to PostgreSQL', () => {
  expect(wantsIndex(req('search=анна&has_email=true'))).toBe(false);
});

describe('after the count', () => {
  const indexPlan = plan(req('search=ada'), true);

  it('pages in memory within the count, and nothing past it', () => {
    expect(pageAfterCount(req('search=ada&offset=4'), indexPlan, { count: 5 })).toEqual({ by: 'index' });
    expect(pageAfterCount(req('search=ada&offset=5'), indexPlan, { count: 5 })).toEqual({ by: 'empty' });
    expect(pageAfterCount(req('search=ada'), indexPlan, { count: 0 })).toEqual({ by: 'empty' });
  });

  it('reads a date filter from the wrong end filter-first up to filterFirstMax matches', () => {
    const wrongEnd = req('updated_to=2023-03-01');
    const p = plan(wrongEnd, false);
    expect(pageAfterCount(wrongEnd, p, { count: THRESHOLDS.filterFirstMax })).toEqual({ by: 'sql', filterFirst: true });
    expect(pageAfterCount(wrongEnd, p, { count: THRESHOLDS.filterFirstMax + 1 })).toEqual({ by: 'sql', filterFirst: false });
  });

  it('walks PostgreSQL for an is_online page up to onlineWalkMax rows, else sends the ids', () => {
    const online = req('is_online=true&limit=10');
    const p = plan(online, true);
    // The walk crosses (offset + limit) × matching / count rows.
    expect(pageAfterCount(online, p, { count: 100, total: 200_000 }).by).toBe('online-walk');
    expect(pageAfterCount(online, p, { count: 100, total: 200_001 })).toEqual({ by: 'sql-online', among: 'matching-online' });
    expect(pageAfterCount(req('is_online=false&limit=10'), plan(req('is_online=false'), true), { count: 100, total: 200_001 })).toEqual({ by: 'sql-online', among: 'online' });
    expect(pageAfterCount(req('is_online=true&offset=100'), p, { count: 100, total: 5 })).toEqual({ by: 'empty' });
  });
});
