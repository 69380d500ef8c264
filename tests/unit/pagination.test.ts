// DRF's LimitOffsetPagination: every edge of limit/offset parsing and of the next/previous links.
import { pageLinks, parsePage } from '../../services/api/listing/parse/pagination';
import { parseQueryString } from '../../services/api/queryString';

const page = (qs: string, max = 1000) => parsePage(parseQueryString(qs), max);

describe('parsePage', () => {
  it.each([
    ['', 10, 0],
    ['limit=5&offset=20', 5, 20],
    ['limit=+5&offset= 7', 5, 7],
    ['limit=05', 5, 0],
    ['limit=0', 10, 0],
    ['limit=-3', 10, 0],
    ['limit=1.0', 10, 0],
    ['limit=1e3', 10, 0],
    ['limit=abc&offset=xyz', 10, 0],
    ['limit=', 10, 0],
    ['limit', 10, 0],
    ['offset=-1', 10, 0],
    ['offset=1.5', 10, 0],
    ['limit=5&limit=7', 7, 0],
    ['limit=7&limit=', 10, 0],
    ['limit=%EF%BC%95', 10, 0],
    ['limit=99999999999999999999999', 1000, 0],
    ['offset=99999999999999999999', 10, Number.MAX_SAFE_INTEGER],
  ])('?%s → limit %i, offset %i', (qs, limit, offset) => {
    expect(page(qs)).toEqual({ limit, offset });
  });

  it('caps a limit above MAX_PAGE_SIZE but not the default', () => {
    expect(page('limit=50', 20)).toEqual({ limit: 20, offset: 0 });
    expect(page('', 5)).toEqual({ limit: 10, offset: 0 });
  });
});

describe('pageLinks', () => {
  const base = 'http://testserver/api/customers';
  const links = (qs: string, count: number) => pageLinks(base, parseQueryString(qs), page(qs), count);

  it('has no links when everything fits', () => {
    expect(links('', 10)).toEqual({ next: null, previous: null });
  });

  it('adds limit and offset to next, keys sorted', () => {
    expect(links('search=ann', 25).next).toBe(`${base}?limit=10&offset=10&search=ann`);
  });

  it('drops offset from a previous that reaches the first page', () => {
    expect(links('offset=5', 25).previous).toBe(`${base}?limit=10`);
    expect(links('offset=10', 25).previous).toBe(`${base}?limit=10`);
    expect(links('offset=15', 25)).toEqual({ next: null, previous: `${base}?limit=10&offset=5` });
  });

  it('has no next on the last page, exactly at the end', () => {
    expect(links('offset=20', 30).next).toBeNull();
    expect(links('offset=19', 30).next).toBe(`${base}?limit=10&offset=29`);
  });

  it('keeps blank and repeated parameters as Django re-encodes them', () => {
    expect(links('b=2&a=&b=1&search&x=a+b%2Fc', 25).next).toBe(`${base}?a=&b=2&b=1&limit=10&offset=10&search=&x=a+b%2Fc`);
  });

  it('writes the capped limit into the links', () => {
    const qs = 'limit=5000';
    expect(pageLinks(base, parseQueryString(qs), parsePage(parseQueryString(qs), 1000), 5000).next).toBe(`${base}?limit=1000&offset=1000`);
  });

  it('percent-encodes UTF-8 and reserved characters like quote_plus', () => {
    expect(links('q=%C3%A9%20%26%3D~', 25).next).toBe(`${base}?limit=10&offset=10&q=%C3%A9+%26%3D~`);
  });

  // Issue 27, hole 4: Python's int has no bound, so DRF's links hold the offset exactly; 99999999999999999999 − 5
  // worked by hand. A double would say 9007199254740986 (rounded to 2^53, then minus 5).
  it('writes offsets past 2^53 exactly, as DRF does', () => {
    expect(links('offset=99999999999999999999&limit=5', 30)).toEqual({ next: null, previous: `${base}?limit=5&offset=99999999999999999994` });
    expect(links('offset=18446744073709551621', 30).previous).toBe(`${base}?limit=10&offset=18446744073709551611`);
    expect(links('offset=9007199254740993&limit=1', 30).previous).toBe(`${base}?limit=1&offset=9007199254740992`);
    expect(links('offset=+000000000000000000000012&limit=5', 30).previous).toBe(`${base}?limit=5&offset=7`);
  });
});
