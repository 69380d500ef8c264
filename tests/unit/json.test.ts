import { parseJsonExact, RawJson, stringifyDrf } from '../../shared/json';

it('parses integers past 2^53 exactly', () => {
  expect(parseJsonExact('{"a":9223372036854775807,"b":1.5}')).toEqual({ a: 9223372036854775807n, b: 1.5 });
});

it('writes like DRF: compact, UTF-8 kept, U+2028/2029 escaped, raw ids verbatim', () => {
  expect(stringifyDrf({ id: new RawJson('9223372036854775807'), s: 'é\u2028"\n', n: null, l: [true] })).toBe(
    '{"id":9223372036854775807,"s":"é\\u2028\\"\\n","n":null,"l":[true]}',
  );
});
