// JSON bodies compared exactly: each difference, its path and kind, written out by hand.
import { stringify } from 'lossless-json';
import { diffBodies, Difference } from '../../../services/compare/jsonDiff';

/** Differences with their values as JSON text, to compare with what is written here. */
const diff = (reference: string, candidate: string) =>
  diffBodies(reference, candidate).map((d: Difference) => ({
    path: d.path, kind: d.kind,
    ...(d.reference === undefined ? {} : { reference: stringify(d.reference) }),
    ...(d.candidate === undefined ? {} : { candidate: stringify(d.candidate) }),
  }));

it('finds nothing between equal bodies, whatever their spacing', () => {
  expect(diff('{"count":1,"results":[{"id":5,"name":"é"}]}', '{ "count": 1, "results": [ { "id": 5, "name": "\\u00e9" } ] }')).toEqual([]);
});

it('names a changed value by its path', () => {
  expect(diff('{"results":[{"id":5,"email":"a@x"}]}', '{"results":[{"id":5,"email":"A@x"}]}'))
    .toEqual([{ path: '$.results[0].email', kind: 'value', reference: '"a@x"', candidate: '"A@x"' }]);
});

it('tells 1 from 1.0: the same number written otherwise', () => {
  expect(diff('{"count":1}', '{"count":1.0}')).toEqual([{ path: '$.count', kind: 'number', reference: '1', candidate: '1.0' }]);
  expect(diff('{"n":100}', '{"n":1e2}')).toEqual([{ path: '$.n', kind: 'number', reference: '100', candidate: '1e2' }]);
});

it('keeps integers past 2^53 exact', () => {
  expect(diff('{"id":9223372036854775807}', '{"id":9223372036854775806}'))
    .toEqual([{ path: '$.id', kind: 'value', reference: '9223372036854775807', candidate: '9223372036854775806' }]);
  expect(diff('{"id":9007199254740993}', '{"id":9007199254740992}'))
    .toEqual([{ path: '$.id', kind: 'value', reference: '9007199254740993', candidate: '9007199254740992' }]);
});

it('reports the same keys in another order once, with both orders', () => {
  expect(diff('{"count":0,"next":null,"previous":null,"results":[]}', '{"count":0,"previous":null,"next":null,"results":[]}'))
    .toEqual([{ path: '$', kind: 'key-order', reference: '["count","next","previous","results"]', candidate: '["count","previous","next","results"]' }]);
});

it('reports a missing key, an extra key and another type', () => {
  expect(diff('{"a":1,"b":null,"c":"1"}', '{"a":1,"c":1,"d":true}')).toEqual([
    { path: '$.b', kind: 'missing', reference: 'null' },
    { path: '$.c', kind: 'type', reference: '"1"', candidate: '1' },
    { path: '$.d', kind: 'extra', candidate: 'true' },
  ]);
});

it('tells null from a missing key and from an empty string', () => {
  expect(diff('{"email":null}', '{"email":""}')).toEqual([{ path: '$.email', kind: 'type', reference: 'null', candidate: '""' }]);
});

it('reports items only one side has', () => {
  expect(diff('[1,2,3]', '[1,2]')).toEqual([{ path: '$[2]', kind: 'missing', reference: '3' }]);
  expect(diff('[1]', '[1,{"x":1}]')).toEqual([{ path: '$[1]', kind: 'extra', candidate: '{"x":1}' }]);
});

it('quotes a key that is not a plain name', () => {
  expect(diff('{"a b":{"c-d":1}}', '{"a b":{"c-d":2}}')).toEqual([{ path: '$["a b"]["c-d"]', kind: 'value', reference: '1', candidate: '2' }]);
});

it('compares bodies that are not both JSON as text', () => {
  expect(diff('<h1>Not Found</h1>', '<h1>Not Found</h1>')).toEqual([]);
  expect(diff('<h1>Not Found</h1>', '{"detail":"Not found."}'))
    .toEqual([{ path: '$', kind: 'text', reference: '"<h1>Not Found</h1>"', candidate: '"{\\"detail\\":\\"Not found.\\"}"' }]);
});
