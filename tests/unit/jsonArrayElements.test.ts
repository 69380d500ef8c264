// The JSON dump's objects cut out of a stream, wherever the chunks end: expected values written by hand.
import { JsonArrayElements } from '../../services/import/jsonArray';

const TEXT = '[{"model": "a.b", "pk": 9007199254740993, "fields": {"s": "br}ace] \\"quote\\" \\\\", "l": [1, {"x": []}]}},\n {"model": "c.d", "pk": 2, "fields": {}}]';
const EXPECTED = [
  { model: 'a.b', pk: 9007199254740993n, fields: { s: 'br}ace] "quote" \\', l: [1, { x: [] }] } },
  { model: 'c.d', pk: 2, fields: {} },
];

function readAll(chunks: string[]): unknown[] {
  const reader = new JsonArrayElements();
  const out = chunks.flatMap((c) => reader.push(c));
  reader.end();
  return out;
}

it('gives the same objects wherever the text is cut into two chunks', () => {
  for (let at = 0; at <= TEXT.length; at++) expect(readAll([TEXT.slice(0, at), TEXT.slice(at)])).toEqual(EXPECTED);
});

it('gives the same objects read one character at a time', () => {
  expect(readAll([...TEXT])).toEqual(EXPECTED);
});

it('reads an empty dump and an empty array as no objects', () => {
  expect(readAll([''])).toEqual([]);
  expect(readAll(['[]\n'])).toEqual([]);
});

it('refuses what is not one array of objects', () => {
  expect(() => readAll(['{"model": "a.b"}'])).toThrow(SyntaxError);
  expect(() => readAll(['["text"]'])).toThrow(SyntaxError);
  expect(() => readAll(['[1]'])).toThrow(SyntaxError);
  expect(() => readAll(['[{"a": 1}'])).toThrow('ends before its array is closed');
  expect(() => readAll(['[{"a": 1}][]'])).toThrow(SyntaxError);
});
