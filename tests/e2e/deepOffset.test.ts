// Deep offsets are found through the per-day and per-username-prefix counters (services/api/listing/
// deepOffset.ts): pages past offset 10,000 of a projected history equal the reference fold's, in time and
// username orderings, both directions, up to the last page and past it; and without the prefix counters (a
// generation built before them) the page is still exact.
import request from 'supertest';
import { ProjectedApp, projectedHistory } from '../helpers/projectedApp';
import { generateHistory } from '../helpers/historyGenerator';
import { OrderTerm, ReferenceFold } from '../helpers/referenceFold';

const history = generateHistory({ seed: 52, users: 16_000, groups: 3 });
const fold = new ReferenceFold();
history.messages.forEach((m, i) => !m.poison && fold.apply(i, JSON.parse(m.value)));

let t: ProjectedApp;
beforeAll(async () => {
  t = await projectedHistory(history.messages);
}, 180_000);
afterAll(async () => {
  await t?.closeAll();
});

const get = (qs: string) => request(t.app.callback()).get(`/api/customers?${qs}`).set('Authorization', `Token ${history.adminToken}`);

describe.each([
  ['', []],
  ['&ordering=created_at', [['created_at', false]]],
  ['&ordering=-updated_at', [['updated_at', true]]],
  ['&ordering=updated_at,-id', [['updated_at', false], ['id', true]]],
  ['&ordering=username', [['username', false]]],
  ['&ordering=-username', [['username', true]]],
] as Array<[string, OrderTerm[]]>)('ordering%s', (ordering, terms) => {
  const expected = () => fold.expectedObjects('customers', () => true, terms);

  it('has more than 10,000 customers to page through', () => {
    expect(expected().length).toBeGreaterThan(10_050);
  });

  it.each([10_000, 10_007, 10_033])('serves offset %i exactly', async (offset) => {
    const body = JSON.parse((await get(`limit=17&offset=${offset}${ordering}`)).text);
    expect(body.count).toBe(expected().length);
    expect(body.results).toEqual(expected().slice(offset, offset + 17).map((o) => expect.objectContaining({ id: o.id, created_at: o.created_at, updated_at: o.updated_at })));
  });

  it('serves the last page and an empty page past it', async () => {
    const n = expected().length;
    const last = JSON.parse((await get(`limit=25&offset=${n - 5}${ordering}`)).text);
    expect(last.results.map((r: { id: number }) => r.id)).toEqual(expected().slice(n - 5).map((o) => o.id));
    const past = JSON.parse((await get(`limit=25&offset=${n + 3}${ordering}`)).text);
    expect(past).toEqual(expect.objectContaining({ count: n, results: [] }));
  });
});

it('serves a deep offset in username order exactly when the prefix counters do not add up or are missing', async () => {
  const { rows: [{ schema_name: schema }] } = await t.db.raw(`select schema_name from rollcall_generations where state = 'active'`);
  const counts = `"${schema}".user_counts`;
  // Counters that do not add up to the audience (as in a generation built before them) are not trusted.
  await t.db.raw(`update ${counts} set n = n + 7 where (partition, key) = (select partition, key from ${counts} where key like 'c:username^%' order by key collate "C" limit 1)`);
  const expected = fold.expectedObjects('customers', () => true, [['username', false]]).map((o) => o.id);
  const skewed = JSON.parse((await get('limit=9&offset=10011&ordering=username')).text);
  expect(skewed.results.map((r: { id: number }) => r.id)).toEqual(expected.slice(10_011, 10_020));
  await t.db.raw(`delete from ${counts} where key like '%username^%'`);
  const body = JSON.parse((await get('limit=9&offset=10011&ordering=username')).text);
  expect(body.results.map((r: { id: number }) => r.id)).toEqual(expected.slice(10_011, 10_020));
});
