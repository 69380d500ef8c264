// Generated requests: every parameter of both endpoints asked, each with a value the reference showed.
import { openApiDocument } from '../../../services/api/schema/openapi';
import { endpointsOf, generateTargets } from '../../../services/compare/generate';
import { addPageSamples, emptySamples } from '../../../services/compare/samples';

const endpoints = endpointsOf(openApiDocument());
const samples = { ids: ['7', '9223372036854775807'], groupIds: ['80'], words: ['ada@example.com', 'Grace'], dates: ['2026-02-21'] };

it('reads both endpoints and their query parameters from the OpenAPI document', () => {
  expect(endpoints.map((e) => [e.path, e.parameters.length])).toEqual([['/api/customers', 27], ['/api/users/', 30]]);
});

it('leads with every parameter of each endpoint within endpoints × parameters requests', () => {
  const targets = generateTargets(endpoints, samples, 60, 1);
  for (const e of endpoints) {
    const asked = new Set(targets.filter((t) => t.startsWith(`${e.path}?`)).flatMap((t) => [...new URLSearchParams(t.split('?')[1]).keys()]));
    expect([...asked].sort()).toEqual(e.parameters.map((p) => p.name).sort());
  }
});

it('gives each parameter a value of its kind, taken from what the reference showed', () => {
  const values = new Map<string, Set<string>>();
  for (const t of generateTargets(endpoints, samples, 600, 2)) {
    for (const [k, v] of new URLSearchParams(t.split('?')[1])) values.set(k, (values.get(k) ?? new Set()).add(v));
  }
  const only = (name: string) => [...values.get(name)!].sort();
  expect(only('id_min')).toEqual(['7', '9223372036854775807']);
  expect(only('group_id')).toEqual(['80']);
  expect(only('created_from')).toEqual(['2026-02-21']);
  expect(only('is_active')).toEqual(['0', '1', 'false', 'true']);
  expect(only('gender')).toEqual(['female', 'male', 'other']);
  expect(only('groups_in').every((v) => /^80(,80){0,2}$/.test(v))).toBe(true);
  expect(only('ordering').every((v) => /^-?(id|username|email|gender|last_login|created_at|updated_at)(,-?(id|username|email|gender|last_login|created_at|updated_at))?$/.test(v))).toBe(true);
  expect(only('search').every((v) => v.split(' ').every((w) => 'ada@example.com Grace'.includes(w)))).toBe(true);
});

it('draws the same requests from the same seed', () => {
  expect(generateTargets(endpoints, samples, 50, 3)).toEqual(generateTargets(endpoints, samples, 50, 3));
  expect(generateTargets(endpoints, samples, 50, 3)).not.toEqual(generateTargets(endpoints, samples, 50, 4));
});

it("collects a page's ids, group ids, words and dates, each once, exactly", () => {
  const s = emptySamples();
  addPageSamples(s, '{"count":2,"next":null,"previous":null,"results":[{"id":9223372036854775807,"username":"ada","email":"","first_name":null,'
    + '"created_at":"2026-02-21T07:20:25.859632Z","last_login":null,"groups_data":[{"id":77,"name":"Ops"}]},{"id":5,"username":"ada","updated_at":"2026-03-01T00:00:00Z"}]}');
  expect(s).toEqual({ ids: ['9223372036854775807', '5'], groupIds: ['77'], words: ['ada'], dates: ['2026-02-21', '2026-03-01'] });
  addPageSamples(s, '{"detail":"Invalid token."}');
  addPageSamples(s, 'not json');
  expect(s.ids).toHaveLength(2);
});
