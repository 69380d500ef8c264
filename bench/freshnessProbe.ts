// How long after the projector's transaction commits the API serves what it wrote, and refuses a token it
// revoked (issue 18: at most 100 ms at p99, under load). Batches are written with applyBatch, the projector's
// own transaction (notice included), on a topic of their own, so the commit's moment is known to the
// millisecond; then the API is asked, back to back, until its answer shows the change.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { applyBatch } from '../projections/applyBatch';

export type Freshness = { served: number[]; refused: number[] };

const sha256 = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');

/** Writes one event as a committed batch of its own; resolves once PostgreSQL has committed it. */
class DirectWriter {
  private offset = 0n;
  private readonly versions = new Map<string, number>();
  private readonly topic = `freshness-probe-${randomBytes(4).toString('hex')}`;

  constructor(private readonly db: Knex) {}

  async write(subject: string, type: string, data: Record<string, unknown>): Promise<number> {
    const version = (this.versions.get(subject) ?? 0) + 1;
    this.versions.set(subject, version);
    const value = JSON.stringify({
      specversion: '1.0', id: randomUUID(), source: '/accounts', type, subject, time: new Date().toISOString(),
      datacontenttype: 'application/json', aggregateversion: version, data,
    });
    const messages = [{ offset: String(this.offset++), key: Buffer.from(subject), value: Buffer.from(value) }];
    const result = await applyBatch(this.db, { topic: this.topic, partition: 0, messages });
    if (result.outcomes[0]?.outcome !== 'applied') throw new Error(`the probe's ${type} was not applied: ${result.outcomes[0]?.outcome}`);
    return performance.now();
  }
}

/** Asks `path` until `done` says the answer shows the change; the milliseconds since `since`. */
async function until(base: string, path: string, token: string, since: number, done: (status: number, body: string) => boolean): Promise<number> {
  for (;;) {
    const res = await fetch(`${base}${path}`, { headers: { authorization: `Token ${token}` } });
    const body = await res.text();
    if (done(res.status, body)) return performance.now() - since;
    if (performance.now() - since > 10_000) throw new Error(`${path} did not show the change within 10 s`);
  }
}

/**
 * `samples` changes of a customer's name, each timed until the API lists it first by update time, and `samples` tokens
 * revoked, each timed until the API refuses it. `idBase`: the ids of the probe's two users (`idBase`, `idBase`
 * + 1), deleted at the end.
 */
export async function probeFreshness(db: Knex, base: string, adminToken: string, samples: number, idBase: bigint): Promise<Freshness> {
  const w = new DirectWriter(db);
  const customer = `user:${idBase}`;
  const staff = `user:${idBase + 1n}`;
  await w.write(customer, 'user.registered', { username: `probe${idBase}` });
  await w.write(staff, 'user.registered', { username: `probe${idBase + 1n}`, is_staff: true });
  const out: Freshness = { served: [], refused: [] };
  for (let i = 0; i < samples; i++) {
    const name = `fresh${randomBytes(6).toString('hex')}`;
    const written = await w.write(customer, 'user.profile_updated', { first_name: name });
    // The same request every time: what the API kept of its last answer must give way to the commit.
    out.served.push(await until(base, '/api/customers?ordering=-updated_at&limit=1', adminToken, written, (s, b) => s === 200 && b.includes(`"first_name":"${name}"`)));
    const key = randomBytes(20).toString('hex');
    const issued = await w.write(staff, 'user.token_issued', { token_sha256: sha256(key) });
    await until(base, '/api/customers?limit=1', key, issued, (s) => s === 200);
    const revoked = await w.write(staff, 'user.token_revoked', {});
    out.refused.push(await until(base, '/api/customers?limit=1', key, revoked, (s) => s === 401));
  }
  // Gone again, from every count (a benchmark's database then holds what it held, but for the two rows).
  await w.write(customer, 'user.deleted', {});
  await w.write(staff, 'user.deleted', {});
  return out;
}
