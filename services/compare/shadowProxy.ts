// The shadow mode's front: each client request forwarded to the reference and its answer streamed back as it
// comes (status, headers, body, nothing waits for rollcall), a copy of the body kept up to a bound for the
// comparison made afterwards. The Host sent is the reference's own, as a reverse proxy sends by default.
import http, { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';

export type Forwarded = {
  method: string;
  target: string;
  authorization: string | null;
  accept: string | undefined;
  status: number;
  headers: IncomingHttpHeaders;
  /** null when the body was past the bound kept. */
  body: Buffer | null;
};

/** How long the reference may take to answer a client: long, as the client's own wait is what it is without us. */
const REFERENCE_IDLE_MS = 120_000;
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'proxy-authorization', 'proxy-authenticate']);

function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)));
}

/** Forwards `req` to the reference and streams the answer to `res`; `answered` hears of each complete answer. */
export function forwardToReference(reference: URL, keepBytes: number, req: IncomingMessage, res: ServerResponse, answered: (f: Forwarded) => void): void {
  const client = reference.protocol === 'https:' ? https : http;
  const upstream = client.request({
    protocol: reference.protocol, hostname: reference.hostname, port: reference.port, method: req.method, path: req.url,
    headers: { ...endToEnd(req.headers), host: reference.host }, timeout: REFERENCE_IDLE_MS,
  }, (up) => {
    res.writeHead(up.statusCode ?? 502, endToEnd(up.headers));
    const chunks: Buffer[] = [];
    let size = 0;
    up.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= keepBytes) chunks.push(chunk);
    });
    up.once('end', () => answered({
      method: req.method ?? 'GET', target: req.url ?? '/', authorization: req.headers.authorization ?? null, accept: req.headers.accept,
      status: up.statusCode ?? 502, headers: up.headers, body: size <= keepBytes ? Buffer.concat(chunks) : null,
    }));
    up.pipe(res);
  });
  upstream.once('timeout', () => upstream.destroy(new Error('the reference did not answer in time')));
  upstream.once('error', () => {
    // What a client of a gateway sees when the service behind it is unreachable; the client's own request failed.
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' }).end('{"detail":"Bad gateway."}');
    else res.destroy();
  });
  res.once('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.pipe(upstream);
}
