// The filter table (services/api/listing/parse/filters.ts) walked row by row: every filter, alone and beside
// another, answered by every path that can answer it (the maintained counters where the row has them, the
// in-memory index, PostgreSQL alone), each equal to the reference fold (count and first page). A new row is
// covered without a line here; a row of a type this test cannot sample fails it.
import { ProjectedApp, projectedHistory } from '../helpers/projectedApp';
import { eventually } from '../helpers/events';
import { generateHistory } from '../helpers/historyGenerator';
import { ReferenceFold, drfTime } from '../helpers/referenceFold';
import { expectedList } from '../helpers/referenceQuery';
import { Filter, FILTERS } from '../../services/api/listing/parse/filters';
import { listRequest } from '../../services/api/listing/parse/listRequest';
import { plan } from '../../services/api/listing/plan/planner';
import { listUsers, Sources } from '../../services/api/listing/execute/execute';
import { IndexHolder } from '../../services/api/index/holder';
import { UserIndex } from '../../services/api/index/userIndex';
import { flagsSql } from '../../services/api/listing/parse/indexQuery';
import { customersEndpoint } from '../../services/api/customers/endpoint';
import { usersEndpoint } from '../../services/api/users/endpoint';
import { parseQueryString } from '../../services/api/queryString';
import { activeGeneration } from '../../projections/generations';
import type { OnlineSnapshot } from '../../shared/activity/onlineSnapshot';
import { Gauge } from 'prom-client';

const history = generateHistory({ seed: 23, users: 400, groups: 8 });
const fold = new ReferenceFold();
history.messages.forEach((m, i) => !m.poison && fold.apply(i, JSON.parse(m.value)));
const users = [...fold.users.values()].filter((u) => !u.deleted);
const online = new Set(users.filter((_, i) => i % 4 === 0).map((u) => u.id));
const day = (t: string | null | undefined) => (t == null ? '2025-06-15' : drfTime(t)!.slice(0, 10));
const middle = users[Math.floor(users.length / 2)]!;
const groups = [...fold.groups.keys()];

/** Values of each type drawn from the history, so that each filter both keeps and drops users. */
function samples(f: Filter): string[] {
  if (f.type === 'boolean') return ['true', 'false'];
  if (f.enum !== undefined) return [...f.enum];
  if (f.type === 'date') return [day(middle.created_at), day(middle.updated_at), day(users.find((u) => u.last_login !== null)?.last_login)];
  if (f.type === 'integer') return f.held === 'groups' ? groups.slice(0, 3).map(String) : [String(middle.id), '0'];
  if (f.type === 'integer-list') return [groups.slice(0, 2).join(','), `${groups[2]},${groups[2]},999999`];
  throw new Error(`filterPaths.test.ts has no sample values for ${f.name} (type ${f.type})`);
}

let t: ProjectedApp;
let schema: string;
let index: UserIndex;
let snapshot: OnlineSnapshot;
beforeAll(async () => {
  t = await projectedHistory(history.messages);
  await t.online.record(new Map([...online].map((id) => [String(id), Date.now() * 1000])));
  ({ schema } = await activeGeneration(t.db));
  const gauge = () => new Gauge({ name: `unused_${Math.random().toString(36).slice(2)}`, help: 'unused', registers: [] });
  const holder = new IndexHolder(t.db, t.logger, { users: gauge(), bytes: gauge(), loaded: gauge() }, { search: true, enabled: true, flags: flagsSql() });
  index = await eventually(async () => (await holder.current(schema)) ?? undefined, 30_000, 'the index to load');
  snapshot = await t.online.snapshot();
}, 120_000);
afterAll(() => t?.closeAll());

const cases = FILTERS.flatMap((f) => samples(f).flatMap((v) => (['customers', 'staff'] as const)
  .filter((audience) => audience === 'staff' || !f.usersOnly)
  .flatMap((audience) => [`${f.name}=${encodeURIComponent(v)}`, `${f.name}=${encodeURIComponent(v)}&${f.name === 'has_phone' ? 'has_email' : 'has_phone'}=true`].map((qs) => [f.name, audience, qs] as const))));

it.each(cases)('%s (%s, %s): every path gives the reference fold\'s answer', async (_name, audience, qs) => {
  const req = listRequest(parseQueryString(qs), audience === 'customers' ? customersEndpoint : usersEndpoint, { schema }, 1000);
  const reference = expectedList(fold, audience, qs, online);
  const expected = { count: (reference as { count: number }).count, ids: (reference as { ids: number[] }).ids.map(String) };
  const answer = async (src: Sources, r = req) => {
    const { count, rows } = await listUsers(t.db, schema, r, src);
    return { count, ids: rows.map((row) => row.id) };
  };
  const online_ = req.online === null ? null : snapshot;
  expect({ qs, path: 'PostgreSQL alone', ...(await answer({ online: online_, index: null }, { ...req, countFrom: null })) }).toEqual({ qs, path: 'PostgreSQL alone', ...expected });
  if (req.countFrom !== null) expect({ qs, path: 'counters', ...(await answer({ online: online_, index: null })) }).toEqual({ qs, path: 'counters', ...expected });
  // The index's own count, whatever the planner would choose for a request this plain (is_online is joined with it in execute/).
  if (req.online === null) expect({ qs, path: 'index', count: (await index.ask(req.indexQuery!)).count }).toEqual({ qs, path: 'index', count: expected.count });
  expect({ qs, path: 'index', ...(await answer({ online: online_, index })) }).toEqual({ qs, path: 'index', ...expected });
  if (qs.includes('&')) expect(plan(req, true).count).toMatch(/^index/);
});
