// Two answers judged: each part compared, base URLs made equal in links, is_online kept apart.
import { Answer, compareAnswers, mediaTypeOf } from '../../../services/compare/answers';

const bases = { reference: 'http://django:8000', candidate: 'http://127.0.0.1:9000' };
const ok = (body: string, over: Partial<Answer> = {}): Answer => ({ status: 200, mediaType: 'application/json', location: null, body, ...over });
const page = (base: string, online: boolean) =>
  `{"count":30,"next":"${base}/api/users/?limit=1&offset=1","previous":null,"results":[{"id":1,"is_online":${online}}]}`;

it('finds two answers alike when only the base URL of the links differs', () => {
  const v = compareAnswers(ok(page('http://django:8000', true)), ok(page('http://127.0.0.1:9000', true)), bases);
  expect(v).toEqual({ outcome: 'identical', differences: [], online: [] });
});

it('finds a link to another place a difference', () => {
  const v = compareAnswers(ok(page('http://django:8000', true)), ok(page('http://django:8000', true)), bases);
  expect(v.outcome).toBe('different');
  expect(v.differences.map((d) => d.path)).toEqual(['$.next']);
});

it('keeps an is_online that differs apart, never as identical', () => {
  const v = compareAnswers(ok(page('http://django:8000', true)), ok(page('http://127.0.0.1:9000', false)), bases);
  expect(v.outcome).toBe('online-only');
  expect(v.differences).toEqual([]);
  expect(v.online.map((d) => d.path)).toEqual(['$.results[0].is_online']);
});

it('counts a difference beside is_online as different, and still lists is_online apart', () => {
  const v = compareAnswers(ok(page('http://django:8000', true)), ok(page('http://127.0.0.1:9000', false).replace('"count":30', '"count":31')), bases);
  expect(v.outcome).toBe('different');
  expect(v.differences.map((d) => d.path)).toEqual(['$.count']);
  expect(v.online.map((d) => d.path)).toEqual(['$.results[0].is_online']);
});

it('compares the status and the media type', () => {
  const v = compareAnswers(ok('{}'), ok('{}', { status: 404, mediaType: 'text/html' }), bases);
  expect(v.differences).toEqual([
    { path: 'status', kind: 'value', reference: 200, candidate: 404 },
    { path: 'content-type', kind: 'value', reference: 'application/json', candidate: 'text/html' },
  ]);
});

it("compares a redirect's Location, each made relative to its own service", () => {
  const moved = (location: string): Answer => ({ status: 301, mediaType: null, location, body: '' });
  expect(compareAnswers(moved('/api/users/?limit=2'), moved('http://127.0.0.1:9000/api/users/?limit=2'), bases).outcome).toBe('identical');
  expect(compareAnswers(moved('/api/users/?limit=2'), moved('/api/users/'), bases).differences)
    .toEqual([{ path: 'location', kind: 'value', reference: '/api/users/?limit=2', candidate: '/api/users/' }]);
});

it('reads the media type without its parameters, in lower case', () => {
  expect(mediaTypeOf('application/json; charset=utf-8')).toBe('application/json');
  expect(mediaTypeOf('Application/JSON')).toBe('application/json');
  expect(mediaTypeOf(null)).toBeNull();
});

it('finds pages alike in their links but not after them different (the quick path for pages is exact)', () => {
  const a = page('http://django:8000', true).replace('"id":1', '"id":1,"name":"Ada"');
  const b = page('http://127.0.0.1:9000', true).replace('"id":1', '"id":1,"name":"Adb"');
  expect(compareAnswers(ok(a), ok(b), bases).differences).toEqual([{ path: '$.results[0].name', kind: 'value', reference: 'Ada', candidate: 'Adb' }]);
  const longer = page('http://127.0.0.1:9000', true).replace('"results":[', '"results":[{"id":0,"is_online":true},');
  expect(compareAnswers(ok(page('http://django:8000', true)), ok(longer), bases).outcome).toBe('different');
});
