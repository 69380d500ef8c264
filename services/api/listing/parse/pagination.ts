// DRF's LimitOffsetPagination (api.md, "limit", "offset", "next / previous"), as pure functions.
import { lastValue, QueryPairs, replacing } from '../../queryString';

export const DEFAULT_LIMIT = 10;
const WHOLE_NUMBER = /^\s*[+-]?\d+\s*$/;
const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);

export type Page = Readonly<{ limit: number; offset: number }>;

/**
 * A bad limit falls back to the default (DRF), a limit above the cap is capped (api.md's deviation). An offset
 * past 2^53 is clamped to it here, for the queries (the page is empty anyway); links take it as sent (pageLinks).
 */
export function parsePage(pairs: QueryPairs, maxPageSize: number): Page {
  const limit = wholeNumber(lastValue(pairs, 'limit'));
  const offset = offsetAsSent(pairs);
  return {
    limit: limit === null || limit <= 0n ? DEFAULT_LIMIT : Number(limit < BigInt(maxPageSize) ? limit : BigInt(maxPageSize)),
    offset: offset > MAX_EXACT ? Number.MAX_SAFE_INTEGER : Number(offset),
  };
}

/** DRF's int(offset), exact at any size (Python's int has no bound); 0 when not a non-negative whole number. */
function offsetAsSent(pairs: QueryPairs): bigint {
  const offset = wholeNumber(lastValue(pairs, 'offset'));
  return offset === null || offset < 0n ? 0n : offset;
}

function wholeNumber(text: string | undefined): bigint | null {
  return text === undefined || !WHOLE_NUMBER.test(text) ? null : BigInt(text.trim());
}

export type Links = Readonly<{ next: string | null; previous: string | null }>;

/**
 * baseUrl is scheme://host/path of the request, as Django's build_absolute_uri gives it. The limit is the
 * page's (capped, so exact as a number); the offset is read again from the pairs as a bigint, so that a link
 * past 2^53 says what DRF's would (`offset=99999999999999999999&limit=5` → previous offset 99999999999999999994).
 */
export function pageLinks(baseUrl: string, pairs: QueryPairs, page: Page, count: number): Links {
  const limit = BigInt(page.limit);
  const offset = offsetAsSent(pairs);
  const withLimit: QueryPairs = [...pairs.filter(([k]) => k !== 'limit'), ['limit', String(limit)]];
  const withOffset = replacing(withLimit, 'offset');
  const next = offset + limit >= BigInt(count) ? null : `${baseUrl}?${withOffset(String(offset + limit))}`;
  let previous: string | null = null;
  if (offset > 0n) previous = `${baseUrl}?${withOffset(offset - limit <= 0n ? null : String(offset - limit))}`;
  return { next, previous };
}
