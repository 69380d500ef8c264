// The load generator of bench:throughput --mixed: autocannon at a fixed concurrency, each request's path and
// token chosen as it is sent; what each path answered (status, bytes) kept, for the floor to answer the same.
import autocannon from 'autocannon';
import { percentile } from '../kit';
import type { Asked } from './requests';

/** One request as it was answered. */
export type Answered = { path: string; status: number; bytes: number };

export type Driven = {
  seconds: number;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  /** Answers by class: 2xx, 4xx (the arbitrary's malformed values: DRF's 400s), 5xx; errors: timeouts, resets. */
  statuses: { ok: number; client: number; server: number; errors: number };
  answered: Answered[];
  /** The first few 5xx answers as they came (never due to a client: each is a finding). */
  serverErrors: string[];
};

type Context = { path?: string };

/** Drives `base` for `seconds` with `connections` connections; `next` names each request. */
export async function drive(base: string, seconds: number, connections: number, next: () => Asked): Promise<Driven> {
  const latencies: number[] = [];
  const answered: Answered[] = [];
  const statuses = { ok: 0, client: 0, server: 0, errors: 0 };
  const serverErrors: string[] = [];
  const setupRequest = (req: autocannon.Request, context: Context) => {
    const asked = next();
    context.path = asked.path;
    return { ...req, path: asked.path, headers: { ...req.headers, authorization: `Token ${asked.token}` } };
  };
  const onResponse = (status: number, body: string, context: Context) => {
    answered.push({ path: context.path ?? '', status, bytes: Buffer.byteLength(body) });
    if (status < 300) statuses.ok++;
    else if (status < 500) statuses.client++;
    else if (statuses.server++ < 5) serverErrors.push(`${status} ${context.path}: ${body.slice(0, 200)}`);
  };
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const instance = autocannon(
      { url: base, duration: seconds, connections, requests: [{ method: 'GET', setupRequest, onResponse } as autocannon.Request] },
      (err) => (err ? reject(err) : resolve()),
    );
    instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
    instance.on('reqError', () => statuses.errors++);
  });
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { seconds: elapsed, requests: latencies.length, rps: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99), statuses, answered, serverErrors };
}

/** The requests of `answered` in turn, again from the first when all were asked (the floor keeps nothing). */
export function cycling(answered: readonly Answered[], token: string): () => Asked {
  let i = 0;
  return () => ({ path: (answered[i++ % answered.length] as Answered).path, token });
}
