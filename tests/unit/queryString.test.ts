import { lastValue, parseQueryString, withParam } from '../../services/api/queryString';

describe('parseQueryString', () => {
  it('decodes + and percent escapes, keeps blank values, skips empty fields', () => {
    expect(parseQueryString('a=1+2&&b=%41&c&d=')).toEqual([['a', '1 2'], ['b', 'A'], ['c', ''], ['d', '']]);
  });
  it('replaces invalid UTF-8 with U+FFFD like Python', () => {
    expect(parseQueryString('a=%FF')).toEqual([['a', '\ufffd']]);
  });
  it('leaves a stray percent sign as it is', () => {
    expect(parseQueryString('a=100%&b=%zz')).toEqual([['a', '100%'], ['b', '%zz']]);
  });
  // Python: unquote_plus('%41%4a+%zz%4') == 'AJ %zz%4'; unquote_plus('é%C3%A9+%2B') == 'éé +'.
  it('decodes escapes beside stray signs and raw non-ASCII text as unquote_plus does', () => {
    expect(parseQueryString('a=%41%4a+%zz%4&b=é%C3%A9+%2B')).toEqual([['a', 'AJ %zz%4'], ['b', 'éé +']]);
  });
});

describe('lastValue', () => {
  it('takes the last value and treats empty as not given', () => {
    const pairs = parseQueryString('x=1&x=2&y=');
    expect(lastValue(pairs, 'x')).toBe('2');
    expect(lastValue(pairs, 'y')).toBeUndefined();
    expect(lastValue(pairs, 'z')).toBeUndefined();
  });
});

describe('withParam', () => {
  it('sorts keys by code point as Python does', () => {
    expect(withParam(parseQueryString('b=1&B=2&%C3%A9=3&a=4'), 'limit', '10')).toBe('B=2&a=4&b=1&limit=10&%C3%A9=3');
  });
  // Python: sorted(['\U00010000', '\uffff', '\ue000']) == ['\ue000', '\uffff', '\U00010000'] (UTF-16 would put the first first).
  it('sorts keys past the BMP after every BMP character', () => {
    expect(withParam(parseQueryString('%F0%90%80%80=1&%EF%BF%BF=2&%EE%80%80=3'), 'limit', '1')).toBe('limit=1&%EE%80%80=3&%EF%BF%BF=2&%F0%90%80%80=1');
  });
  it('removes a key when given null', () => {
    expect(withParam(parseQueryString('offset=3&a=1'), 'offset', null)).toBe('a=1');
  });
});
