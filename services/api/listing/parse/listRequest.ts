// A request's query parameters → what to list: filters, search, ordering and page (api.md), or a 400 that
// names every bad parameter with DRF's messages, keys in alphabetical order.
import { ApiError } from '../../errors';
import { lastValue, QueryPairs } from '../../queryString';
import { countAll, Filter, FilterContext, FILTERS, searchCondition, searchedTerms } from './filters';
import { Condition, CountFrom, ListRequest } from './request';
import { parseOrdering } from './ordering';
import { parsePage } from './pagination';
import { indexQuery } from './indexQuery';
import type { Endpoint } from '../endpoint';

/** Pure: the same pairs give the same request. */
export function listRequest(
  pairs: QueryPairs,
  endpoint: Pick<Endpoint, 'audience' | 'details'>,
  fctx: FilterContext,
  maxPageSize: number,
): ListRequest {
  const errors: Record<string, string[]> = {};
  const conditions: Condition[] = [];
  const given: Array<{ filter: Filter; value: unknown }> = [];
  let online: boolean | null = null;
  for (const filter of FILTERS) {
    if (filter.usersOnly && endpoint.audience !== 'staff') continue;
    const text = lastValue(pairs, filter.name);
    if (text === undefined) continue;
    const parsed = filter.read(text);
    if (!parsed.ok) errors[filter.name] = [parsed.message];
    else {
      if (filter.held === 'online') online = parsed.value as boolean;
      else if (filter.sql) conditions.push(filter.sql(parsed.value)(fctx));
      given.push({ filter, value: parsed.value });
    }
  }
  const names = Object.keys(errors).sort();
  if (names.length > 0) throw new ApiError(400, Object.fromEntries(names.map((n) => [n, errors[n]])));
  const search = lastValue(pairs, 'search');
  const terms = search === undefined ? [] : searchedTerms(search);
  const searching = searchCondition(terms);
  const audience = endpoint.audience === 'customers' ? 'c:' : 's:';
  return {
    audience: endpoint.audience,
    details: endpoint.details,
    countFrom: searching === null ? countedBy(given, audience) : null,
    dateFilter: given.length === 1 && searching === null ? (given[0]?.filter.date ?? null) : null,
    conditions: searching === null ? conditions : [...conditions, searching],
    online,
    indexQuery: indexQuery(endpoint.audience, given, terms),
    ordering: parseOrdering(pairs),
    page: parsePage(pairs, maxPageSize),
  };
}

/** The maintained counters that give this request's count, when it has no search and at most one filter that has them. */
function countedBy(given: Array<{ filter: Filter; value: unknown }>, audience: string): CountFrom | null {
  if (given.length === 0) return countAll(audience);
  const [only] = given;
  if (given.length > 1 || only === undefined || only.filter.counted === undefined) return null;
  return only.filter.counted(only.value, audience);
}
