// Deep offsets in time order are found through the per-day counters (services/api/listing/deepOffset.ts):
// pages past offset 10,000 of a projected history equal the reference fold's, in every time ordering and
// both directions, up to the last page and past it.
import request from 'supertest';
import { createProjectedApp, ProjectedApp } from '../helpers/projectedApp';
import { publish } from '../helpers/events';
import { generateHistory } from '../helpers/historyGenerator';
import { OrderTerm, ReferenceFold } from '../helpers/referenceFold';

const history = generateHistory({ seed: 52, users: 16_000, groups: 3 });
const fold = new ReferenceFold();
history.messages.forEach((m, i) => !m.poison && fold.apply(i, JSON.parse(m.value)));

let t: ProjectedApp;
beforeAll(async () => {
  t = await createProjectedApp();
  await t.startProjector();
  await publish(t.kafka, t.config.topics.events, history.messages);
  await t.waitForOffsets(history.messages.length);
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
