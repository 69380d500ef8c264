// Freshness as a client sees it, in bench:throughput --mixed: from the moment an event is handed to Kafka (before
// the producer's send, so Kafka's own acknowledgement counts) until the API shows it: a registration listed by a
// search for its name, and a revoked token refused with 401. The API is asked every 2 ms; each wait is bounded.
import { createHash, randomBytes } from 'node:crypto';
import { EventStream } from './eventStream';

export type Freshness = { visible: number[]; refused: number[]; timeouts: number };

const POLL_MS = 2;
const BOUND_MS = 10_000;

/** Asks until `done`; the milliseconds since `since`, or null after `boundMs`. */
export async function until(url: string, token: string, since: number, done: (status: number, body: string) => boolean, boundMs = BOUND_MS): Promise<number | null> {
  while (performance.now() - since < boundMs) {
    const res = await fetch(url, { headers: { authorization: `Token ${token}` } }).catch(() => null);
    if (res !== null && done(res.status, await res.text())) return performance.now() - since;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  return null;
}

/** `samples` of each, one after the other, while `stream` runs at its own rate. */
export async function probeFreshness(stream: EventStream, base: string, staffToken: string, samples: number): Promise<Freshness> {
  const out: Freshness = { visible: [], refused: [], timeouts: 0 };
  const keep = (ms: number | null, into: number[]) => (ms === null ? out.timeouts++ : into.push(ms));
  // A staff user of the probe's own, whose tokens it issues and revokes (staff: its token may list customers).
  const prober = stream.register(`probe${randomBytes(4).toString('hex')}`, { is_staff: true });
  await stream.publish([prober]);
  for (let i = 0; i < samples; i++) {
    const name = `fresh${randomBytes(6).toString('hex')}`;
    const registered = stream.register(name);
    const published = performance.now();
    await stream.publish([registered]);
    keep(await until(`${base}/api/customers?search=${name}`, staffToken, published, (s, b) => s === 200 && b.includes(`"username":"${name}"`)), out.visible);

    const key = randomBytes(20).toString('hex');
    await stream.publish([stream.event(prober.subject, 'user.token_issued', { token_sha256: createHash('sha256').update(key).digest('hex') })]);
    if ((await until(`${base}/api/customers?limit=1`, key, performance.now(), (s) => s === 200)) === null) {
      out.timeouts++;
      continue;
    }
    const revoked = stream.event(prober.subject, 'user.token_revoked', {});
    const sent = performance.now();
    await stream.publish([revoked]);
    keep(await until(`${base}/api/customers?limit=1`, key, sent, (s) => s === 401), out.refused);
  }
  return out;
}
