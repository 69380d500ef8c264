// Issue 25, finding 6: a request that arrives just after a revocation's notice must not join a lookup of the
// same token begun before the commit. The lookup's answer is held back by a proxy of the test's own, so it
// is read before the revocation commits and arrives after the notice; the notice is given by the test through
// the feed's interface. Expected statuses are api.md's, by hand.
import type { HeardChange } from '../../projections/changeNotice';
import { activeGeneration } from '../../projections/generations';
import { table } from '../../projections/readModel';
import { Authenticator } from '../../services/api/auth';
import { ApiError } from '../../services/api/errors';
import { GenerationCache } from '../../services/api/generationCache';
import { createDb } from '../../shared/db';
import { sha256 } from '../helpers/events';
import { TOKENS } from '../helpers/fixtures/directory';
import { PgProxy, startPgProxy } from '../helpers/pgProxy';
import { ProjectedApp, projectedDirectory } from '../helpers/projectedApp';

let t: ProjectedApp;
let proxy: PgProxy;
let slowDb: ReturnType<typeof createDb>;

beforeAll(async () => {
  t = await projectedDirectory();
  const url = new URL(t.config.databaseUrl);
  proxy = await startPgProxy({ host: url.hostname, port: Number(url.port || 5432) });
  url.host = `127.0.0.1:${proxy.port}`;
  slowDb = createDb(url.toString(), { min: 0, max: 4 });
}, 60_000);
afterAll(async () => {
  await slowDb?.destroy();
  await proxy?.close();
  await t?.closeAll();
});

/** A feed that is live and says what the test tells it (with the version per batch the change feed also gives). */
function toldFeed() {
  const heard = new Set<(e: HeardChange) => void>();
  let batches = 0;
  return {
    isLive: true, epoch: 1,
    versionOf: () => `1.${batches}`,
    subscribe: (fn: (e: HeardChange) => void) => heard.add(fn),
    tell: (e: HeardChange) => {
      batches++;
      heard.forEach((fn) => fn(e));
    },
  };
}

const statusOf = (p: Promise<unknown>) => p.then(() => 200, (e: unknown) => (e instanceof ApiError ? e.status : 500));

it('does not let a request heard after a revocation join a lookup begun before it', async () => {
  const feed = toldFeed();
  const auth = new Authenticator(slowDb, new GenerationCache(slowDb), feed);
  const { schema } = await activeGeneration(t.db);
  await auth.refreshGeneration(); // the serving generation read now, before the answers are held back
  proxy.delay(600);
  const begun = statusOf(auth.authenticate(TOKENS.staffPlain));
  await new Promise((r) => setTimeout(r, 150)); // the lookup has reached PostgreSQL and read the token
  await t.db.raw(`update ${table(schema, 'users')} set token_sha256 = null where token_sha256 = ?`, [sha256(TOKENS.staffPlain)]);
  feed.tell({ kind: 'batch', schema, topic: 'events', partition: 0, nextOffset: 1n, auth: { users: ['1003'], groups: [] } });
  const after = statusOf(auth.authenticate(TOKENS.staffPlain));
  proxy.delay(0);
  expect(await begun).toBe(200); // it read the token before the revocation: let in, as it arrived before it
  expect(await after).toBe(401);
  // And what the early lookup read is not kept: the next request is refused too.
  expect(await statusOf(auth.authenticate(TOKENS.staffPlain))).toBe(401);
});
