// The query engine proven equal to PostgreSQL alone (issue 17): requests nobody hand-picked (fast-check) over
// every parameter of both endpoints, answered by the API with its in-memory copy of the users and by the same
// API with it off (IN_MEMORY_INDEX=false), on a generated history (differentialDense.test.ts and
// differentialSparse.test.ts). Status, count, ids in order, links and every object must be the same; status,
// count and ids in order (or the 400's errors) must also be what api.md read off the reference fold says
// (tests/helpers/referenceQuery.ts). A failure prints fast-check's seed and the shrunk request; FC_SEED and
// FC_RUNS replay or lengthen a run.
import fc from 'fast-check';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import request from 'supertest';
import Koa from 'koa';
import { ProjectedApp, projectedHistory } from './projectedApp';
import { event, eventually, publish, RawEvent } from './events';
import { DjangoWriter } from './djangoWriter';
import { rng } from '../../shared/random';
import { generateHistory } from './historyGenerator';
import { ReferenceFold, drfTime } from './referenceFold';
import { queryString, RequestWorld } from './requestArbitrary';
import { expectedList } from './referenceQuery';
import { createApp } from '../../services/api/app';
import { shiftIds } from './bigIds';

/** A history's reference fold, and the world of requests drawn from it (its ids shifted by `shift`). */
export function historyWorld(messages: ReadonlyArray<RawEvent & { poison?: boolean }>, shift = 0n): { fold: ReferenceFold; world: RequestWorld } {
  const fold = new ReferenceFold();
  messages.forEach((m, i) => !m.poison && fold.apply(i, JSON.parse(m.value)));
  const big = (id: number) => BigInt(id) + shift;
  const users = [...fold.users.values()].filter((u) => !u.deleted);
  const world: RequestWorld = {
    userIds: users.map((u) => big(u.id)),
    groupIds: [...fold.groups.keys()].map(big),
    dates: [...new Set(users.flatMap((u) => [u.created_at, u.updated_at, u.last_login]).filter((t): t is string => t !== null).map((t) => drfTime(t)!.slice(0, 10)))],
    words: users.flatMap((u) => [u.username, u.email, u.first_name, u.last_name, String(big(u.id))]).filter((w): w is string => w !== null && w !== ''),
  };
  return { fold, world };
}

/**
 * The suite below on one generated history: ids dense from 1 (the direct lookup of index/slots.ts), sparse past
 * 2^32 (its map), or, with `shift`, moved past 2^53 (exact ids as text): that history is compared with
 * PostgreSQL alone, the reference fold holding ids as numbers (bigIds.ts).
 */
export function differentialSuite(ids: { idBase: number; idStride: number; shift?: bigint }): void {
  const history = generateHistory({ seed: 17, users: 700, groups: 12, ...ids });
  const shift = ids.shift ?? 0n;
  const big = (id: number) => BigInt(id) + shift;
  const shifted = <T extends RawEvent>(m: T): T => (shift === 0n ? m : shiftIds(m, shift));
  const { fold, world } = historyWorld(history.messages, shift);
  const users = [...fold.users.values()].filter((u) => !u.deleted);

  const online = new Set([history.adminId, ...users.filter((_, i) => i % 5 === 0).map((u) => u.id)]);

  let t: ProjectedApp;
  let withoutIndex: Koa;
  beforeAll(async () => {
    t = await projectedHistory(history.messages.map(shifted));
    // Some users online, so that is_online both ways matters (and the caller, once it has made a request).
    await t.online.record(new Map([...online].map((id) => [String(big(id)), Date.now() * 1000])));
    withoutIndex = createApp({ db: t.db, redis: t.redis, online: t.online, metrics: t.metrics, logger: t.logger, maxPageSize: 1000, trustProxy: false, inMemorySearch: true, inMemoryIndex: false });
    await eventually(async () => (await answer(t.app, '/api/users/?is_active=true&has_email=true')).status === 200 && /^rollcall_api_in_memory_users [1-9]/m.test((await request(t.app.callback()).get('/metrics')).text) ? true : undefined, 30_000, 'the in-memory copy to load');
  }, 120_000);
  afterAll(() => t?.closeAll());

  /** What a client sees, with the host of the links (each app is its own server) left out. */
  /** The body parsed, and as sent: ids past 2^53 parse inexactly, so the text is compared too. */
  async function answer(app: Koa, path: string): Promise<{ status: number; body: unknown; text: string }> {
    const res = await request(app.callback()).get(path).set('Authorization', `Token ${history.adminToken}`).set('Host', 'rollcall.test');
    const body = res.headers['content-type']?.startsWith('application/json') ? JSON.parse(res.text) : res.text;
    return { status: res.status, ...(res.headers.warning === undefined ? {} : { warning: res.headers.warning }), body, text: res.text };
  }

  it.each([['/api/customers', 'customers'], ['/api/users/', 'staff']] as const)('%s lists every user of the reference fold, in order, each id exact', async (endpoint, audience) => {
    const all = await answer(t.app, `${endpoint}?limit=1000&ordering=-id`);
    const expected = expectedList(fold, audience, 'limit=1000&ordering=-id', online) as { count: number; ids: number[] };
    // A listed object's id is followed by its username and mobile_number (an inviter's by username and full_name).
    const ids = [...all.text.matchAll(/\{"id":(-?\d+),"username":"(?:[^"\\]|\\.)*","mobile_number"/g)].map((m) => BigInt(m[1] as string));
    expect({ count: (all.body as { count: number }).count, ids }).toEqual({ count: expected.count, ids: expected.ids?.map((id) => big(id)) });
    expect(ids.length).toBeGreaterThan(100);
  });

  /** Requests that once answered wrongly or froze the process (issue 17), always asked first. */
  const KNOWN = [
    'is_online=true&is_online=false&has_email=true',
    'is_online=false&is_online=true',
    'id_min=4294967296&has_email=true',
    'id_min=2147483648&has_email=true',
    'id_min=9223372036854775808',
    'id_max=-9223372036854775809&is_active=true',
    `groups_in=${Array(50).fill(world.groupIds[0]).join(',')}&has_email=false`,
    'has_email=true&has_email=false&is_active=true',
  ];
  /** What the reference says of an answer: its status, and its errors, or its count and ids in order. */
  function gist(a: { status: number; body: any }) {
    return a.status === 400 ? { status: 400, errors: a.body } : { status: a.status, count: a.body.count, ids: a.body.results?.map((u: { id: number }) => u.id) };
  }

  const runs = Number(process.env.FC_RUNS ?? 1_000);
  const seed = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);

  it.each(['/api/customers', '/api/users/'])('%s answers every generated request as PostgreSQL alone does', async (endpoint) => {
    await fc.assert(
      fc.asyncProperty(queryString(world), async (qs) => {
        const path = `${endpoint}?${qs}`;
        const [held, alone] = await Promise.all([answer(t.app, path), answer(withoutIndex, path)]);
        expect({ path, ...held }).toEqual({ path, ...alone });
        if (shift === 0n) expect({ path, ...gist(held) }).toEqual({ path, ...expectedList(fold, endpoint === '/api/users/' ? 'staff' : 'customers', qs, online) });
      }),
      { numRuns: runs, seed, verbose: 1, examples: KNOWN.map((qs) => [qs]) },
    );
  }, 600_000);

  it('holds the event loop under 50 ms for requests typed to make it work (ids past 2^31, repeated groups)', async () => {
    const histogram = monitorEventLoopDelay({ resolution: 5 });
    histogram.enable();
    for (const qs of KNOWN) for (const endpoint of ['/api/customers', '/api/users/']) expect((await answer(t.app, `${endpoint}?${qs}`)).status).toBe(200);
    histogram.disable();
    expect(histogram.max / 1e6).toBeLessThan(50);
  });

  const r = rng(99);
  const writer = new DjangoWriter(r);
  const versions = new Map(users.map((u) => [u.id, u.version]));
  /** A change of a random user (not the admin), as the writer publishes it. */
  const change = (): RawEvent => {
    const id = users[1 + Math.floor(r() * (users.length - 1))]!.id;
    const v = (versions.get(id) as number) + 1;
    versions.set(id, v);
    const k = r();
    const [type, data] = k < 0.4 ? ['user.profile_updated', writer.profileUpdate(id)]
      : k < 0.55 ? ['user.roles_changed', { is_staff: r() < 0.3, is_admin: r() < 0.1 }]
      : k < 0.7 ? [r() < 0.5 ? 'user.deactivated' : 'user.activated', {}]
      : k < 0.8 ? ['user.logged_in', {}]
      : k < 0.9 ? ['user.joined_group', { group_id: [...fold.groups.keys()][Math.floor(r() * world.groupIds.length)] }]
      : ['user.token_revoked', {}];
    return shifted(event(`user:${id}`, type as string, v, data as Record<string, unknown>, new Date(Date.now() - Math.floor(r() * 1e10)).toISOString()));
  };
  let published = history.messages.length;
  const sameAsAlone = (numRuns: number) => fc.assert(
    fc.asyncProperty(fc.constantFrom('/api/customers', '/api/users/'), queryString(world), async (endpoint, qs) => {
      const path = `${endpoint}?${qs}`;
      const [held, alone] = await Promise.all([answer(t.app, path), answer(withoutIndex, path)]);
      expect({ path, ...held }).toEqual({ path, ...alone });
    }),
    { numRuns, seed, verbose: 1 },
  );

  // The index is kept fresh from the projector's change log: after each round of changes it must still answer
  // as PostgreSQL alone does.
  it('answers as PostgreSQL alone does after rounds of changes to flags, groups, timestamps and texts', async () => {
    for (let round = 0; round < 4; round++) {
      const changes = Array.from({ length: 150 }, change);
      await publish(t.kafka, t.config.topics.events, changes);
      await t.waitForOffsets((published += changes.length));
      await sameAsAlone(Math.ceil(runs / 4));
    }
  }, 600_000);

  // Requests racing the refresh: each answer whole (a 200, a page within its count, no user twice) while
  // batches land between and during requests; once the stream is applied, every answer PostgreSQL's again.
  it('answers whole while events stream in, and as PostgreSQL alone does once they are applied', async () => {
    const changes = Array.from({ length: 600 }, change);
    const streaming = (async () => {
      for (let i = 0; i < changes.length; i += 30) await publish(t.kafka, t.config.topics.events, changes.slice(i, i + 30));
    })();
    const samples = fc.sample(fc.tuple(fc.constantFrom('/api/customers', '/api/users/'), queryString(world)), { numRuns: Math.ceil(runs / 4), seed });
    for (const [endpoint, qs] of samples) {
      const a = await answer(t.app, `${endpoint}?${qs}`);
      if (a.status === 400) continue;
      const body = a.body as { count: number; results: Array<{ id: number }> };
      const ids = body.results.map((u) => u.id);
      expect({ qs, status: a.status, whole: body.count >= ids.length && new Set(ids).size === ids.length }).toEqual({ qs, status: 200, whole: true });
    }
    await streaming;
    await t.waitForOffsets((published += changes.length));
    await sameAsAlone(Math.ceil(runs / 4));
  }, 600_000);
}
