// DRF's LimitOffsetPagination (api.md, "limit", "offset", "next / previous"), as pure functions.
import { lastValue, QueryPairs, withParam } from '../../queryString';

export const DEFAULT_LIMIT = 10;
const WHOLE_NUMBER = /^\s*[+-]?\d+\s*$/;

export type Page = Readonly<{ limit: number; offset: number }>;

/** A bad limit falls back to the default (DRF), a limit above the cap is capped (api.md's deviation). */
export function parsePage(pairs: QueryPairs, maxPageSize: number): Page {
  const limit = wholeNumber(lastValue(pairs, 'limit'));
  const offset = wholeNumber(lastValue(pairs, 'offset'));
  return {
    limit: limit === null || limit <= 0 ? DEFAULT_LIMIT : Math.min(limit, maxPageSize),
    offset: offset === null || offset < 0 ? 0 : offset,
  };
}

function wholeNumber(text: string | undefined): number | null {
  if (text === undefined || !WHOLE_NUMBER.test(text)) return null;
  const n = Number(text.trim());
  // Past 2^53 a number is no longer exact; clamp, the page would be empty anyway.
  return Number.isSafeInteger(n) ? n : n > 0 ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER;
}

export type Links = Readonly<{ next: string | null; previous: string | null }>;

/** baseUrl is scheme://host/path of the request, as Django's build_absolute_uri gives it. */
export function pageLinks(baseUrl: string, pairs: QueryPairs, page: Page, count: number): Links {
  const { limit, offset } = page;
  const withLimit: QueryPairs = [...pairs.filter(([k]) => k !== 'limit'), ['limit', String(limit)]];
  const next = offset + limit >= count ? null : `${baseUrl}?${withParam(withLimit, 'offset', String(offset + limit))}`;
  let previous: string | null = null;
  if (offset > 0) {
    const query = offset - limit <= 0 ? withParam(withLimit, 'offset', null) : withParam(withLimit, 'offset', String(offset - limit));
    previous = `${baseUrl}?${query}`;
  }
  return { next, previous };
}
