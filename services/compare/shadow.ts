// `rollcall compare --listen PORT`: a proxy that answers every client from the reference (shadowProxy.ts) and,
// afterwards, asks rollcall the same list request and records the difference. The comparisons wait in a bounded
// queue drained by --concurrency workers; when it is full a request is skipped, never waited for, so a slow or
// failing rollcall costs the clients nothing. Metrics and the report are served under /__compare/.
import http, { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { stringify } from 'lossless-json';
import { Counter, Gauge, Registry } from 'prom-client';
import { Answer, Bases, mediaTypeOf } from './answers';
import { VerdictThread } from './verdictThread';
import { fetchAnswer, RequestFailed } from './fetchAnswer';
import { CompareOptions } from './options';
import { LIST_PATHS, parametersOf, pathOf } from './requestLines';
import { forwardToReference, Forwarded } from './shadowProxy';
import { Tally } from './tally';
import { ShadowQueue } from './shadowQueue';
import { reportJson, reportText } from './report';

/** The most of a reference body kept for comparison: a page of 1000 users is well under it. */
const KEEP_BYTES = 8 * 1024 * 1024;
const DECODERS: Record<string, (b: Buffer) => Promise<Buffer>> = {
  gzip: promisify(zlib.gunzip), deflate: promisify(zlib.inflate), br: promisify(zlib.brotliDecompress),
};

export async function runShadow(o: CompareOptions, bases: Bases): Promise<number> {
  const tally = new Tally(o.show);
  const judge = new VerdictThread();
  const metrics = shadowMetrics(() => queue.length);
  const skip = (reason: string) => {
    metrics.skipped.inc({ reason });
    metrics.outcomes.inc({ outcome: 'skipped' });
    tally.skip(reason);
  };
  const queue = new ShadowQueue<Forwarded>(o.queue, o.concurrency, (f) =>
    compareForwarded(f, { bases, timeoutMs: o.timeoutMs, tally, judge }, (outcome) => metrics.outcomes.inc({ outcome })).catch((err: Error) => {
      // A reference body that would not decode, say: counted and said, and the proxy goes on answering.
      process.stderr.write(`rollcall compare: could not compare ${pathOf(f.target)}: ${err.message}\n`);
      skip('comparison error');
    }));
  const enqueue = (f: Forwarded) => {
    const reason = whyNotCompared(f) ?? (queue.offer(f) ? undefined : 'queue full');
    if (reason !== undefined) skip(reason);
  };
  const server = http.createServer((req, res) => {
    if (!req.url?.startsWith('/__compare/')) return forwardToReference(new URL(bases.reference), KEEP_BYTES, req, res, enqueue);
    ownRoute(req, res, metrics.registry, tally).catch(() => res.writeHead(500).end('{"detail":"A server error occurred."}'));
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(o.listen, resolve));
  process.stderr.write(`rollcall compare: answering from ${bases.reference} on port ${o.listen}; comparing with ${bases.candidate}\n`);
  await new Promise((r) => ['SIGINT', 'SIGTERM'].forEach((s) => process.once(s, r)));
  server.close();
  server.closeIdleConnections();
  await queue.stop(o.timeoutMs);
  await judge.close();
  process.stderr.write(reportText(tally));
  return tally.alike ? 0 : 1;
}

function shadowMetrics(queueLength: () => number) {
  const registry = new Registry();
  const outcomes = new Counter({ name: 'rollcall_compare_shadow_total', help: 'Client requests by what their comparison found', labelNames: ['outcome'], registers: [registry] });
  const skipped = new Counter({ name: 'rollcall_compare_shadow_skipped_total', help: 'Client requests not compared, by why', labelNames: ['reason'], registers: [registry] });
  new Gauge({ name: 'rollcall_compare_shadow_queue', help: 'Comparisons waiting', registers: [registry], collect() { this.set(queueLength()); } });
  return { registry, outcomes, skipped };
}

function whyNotCompared(f: Forwarded): string | undefined {
  if (f.method !== 'GET') return 'other method';
  if (!LIST_PATHS.has(pathOf(f.target))) return 'other path';
  if (f.body === null) return 'body too large';
  return undefined;
}

type Comparing = { bases: Bases; timeoutMs: number; tally: Tally; judge: VerdictThread };

async function compareForwarded(f: Forwarded, { bases, timeoutMs, tally, judge }: Comparing, count: (outcome: string) => void): Promise<void> {
  const asked = { target: f.target, role: f.authorization === null ? 'anonymous' : 'client', endpoint: pathOf(f.target), parameters: parametersOf(f.target) };
  const encoding = String(f.headers['content-encoding'] ?? 'identity');
  const decode = DECODERS[encoding];
  const body = decode === undefined ? f.body! : await decode(f.body!);
  const reference: Answer = { status: f.status, mediaType: mediaTypeOf(f.headers['content-type'] ?? null), location: f.headers.location ?? null, body: body.toString('utf8') };
  let candidate: Answer;
  try {
    candidate = await fetchAnswer(bases.candidate, f.target, f.authorization, timeoutMs, f.accept ?? '*/*');
  } catch (err) {
    if (!(err instanceof RequestFailed)) throw err;
    tally.add({ ...asked, failed: { side: 'candidate', why: err.message } });
    return count('failed');
  }
  const verdict = await judge.judge(reference, candidate, bases);
  tally.add({ ...asked, verdict, referenceStatus: reference.status });
  count(verdict.outcome === 'online-only' ? 'online_only' : verdict.outcome);
  // One JSON line a finding (never the caller's token): what a team reads, or ships to its logs.
  if (verdict.outcome !== 'identical') process.stdout.write(`${stringify({ at: new Date().toISOString(), outcome: verdict.outcome, target: f.target, differences: verdict.differences, online: verdict.online })}\n`);
}

async function ownRoute(req: IncomingMessage, res: ServerResponse, registry: Registry, tally: Tally): Promise<void> {
  if (req.url === '/__compare/metrics') res.writeHead(200, { 'content-type': registry.contentType }).end(await registry.metrics());
  else if (req.url === '/__compare/report') res.writeHead(200, { 'content-type': 'application/json' }).end(reportJson(tally));
  else res.writeHead(404, { 'content-type': 'application/json' }).end('{"detail":"Not found."}');
}
