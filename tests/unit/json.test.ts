import { parseJsonExact, RawJson, stringifyDrf } from '../../shared/json';

it('parses integers past 2^53 exactly', () => {
  expect(parseJsonExact('{"a":9223372036854775807,"b":1.5}')).toEqual({ a: 9223372036854775807n, b: 1.5 });
});

it('writes like DRF: compact, UTF-8 kept, U+2028/2029 escaped, raw ids verbatim', () => {
  expect(stringifyDrf({ id: new RawJson('9223372036854775807'), s: 'é\u2028"\n', n: null, l: [true] })).toBe(
    '{"id":9223372036854775807,"s":"é\\u2028\\"\\n","n":null,"l":[true]}',
  );
});

it('keeps safe integers as numbers on both paths, and only unsafe ones as bigint', () => {
  expect(parseJsonExact('{"a":42,"b":-7}')).toEqual({ a: 42, b: -7 });
  expect(parseJsonExact('{"a":42,"big":12345678901234567890}')).toEqual({ a: 42, big: 12345678901234567890n });
});

it('reads again exactly any integer the native parser rounded, at any depth and sign, leaving strings alone', () => {
  expect(parseJsonExact('{"s":"1234567890123456789","n":9007199254740993}')).toEqual({ s: '1234567890123456789', n: 9007199254740993n });
  expect(parseJsonExact('{"d":{"l":[1,-9007199254740993]}}')).toEqual({ d: { l: [1, -9007199254740993n] } });
  expect(parseJsonExact('[9007199254740992]')).toEqual([9007199254740992n]);
  expect(parseJsonExact('{"a":9007199254740991}')).toEqual({ a: 9007199254740991 });
});

it('keeps fractions and exponents as numbers, however large', () => {
  expect(parseJsonExact('{"a":1e300,"b":12345678901234567890.5,"c":1.5}')).toEqual({ a: 1e300, b: 12345678901234567890.5, c: 1.5 });
});

it('throws on bad JSON on both paths', () => {
  expect(() => parseJsonExact('{"a":')).toThrow(SyntaxError);
  expect(() => parseJsonExact('{"a":12345678901234567890')).toThrow(SyntaxError);
});
