// A stand-in for the Django service that answers as rollcall does, except where a request's `case` parameter
// (which the API ignores: unknown parameters are) asks it to differ in one way on purpose. It forwards each
// request to a real rollcall and changes that answer's raw text, so everything else stays byte for byte the same.
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';

export type AlteringReference = { base: string; maxInFlight: () => number; arrivals: number[]; close: () => Promise<void> };

type Answer = { status: number; contentType: string | null; location: string | null; body: string };

/** What each `case` changes; `base` is this server's own origin (it writes its links as Django would). */
function alter(kind: string | null, a: Answer, base: string, candidate: string): Answer {
  const body = a.body.split(candidate).join(base); // as any service does, it writes its own address in next/previous
  switch (kind) {
    case 'status': return { ...a, status: 500 };
    case 'media': return { ...a, contentType: 'text/plain; charset=utf-8' };
    case 'location': return { ...a, location: (a.location ?? '').replace('limit=1', 'limit=3') };
    case 'value': return { ...a, body: body.replace('"username":"root"', '"username":"rooT"') };
    case 'order': return { ...a, body: body.replace(/"next":(null|"[^"]*"),"previous":(null|"[^"]*")/, '"previous":$2,"next":$1') };
    case 'number': return { ...a, body: body.replace(/^\{"count":(\d+)/, '{"count":$1.0') };
    case 'online': return { ...a, body: body.replace('"is_online":true', '"is_online":false') };
    default: return { ...a, body }; // 'base', 'same', 'slow': nothing but the address
  }
}

export async function startAlteringReference(candidate: string, slowMs = 0): Promise<AlteringReference> {
  let inFlight = 0;
  let maxInFlight = 0;
  const arrivals: number[] = [];
  const waits = new Set<NodeJS.Timeout>(); // cleared on close: a slow answer must not outlive its test
  const server: Server = createServer((req, res) => {
    inFlight += 1;
    arrivals.push(Date.now());
    maxInFlight = Math.max(maxInFlight, inFlight);
    const kind = new URL(req.url ?? '/', 'http://x').searchParams.get('case');
    const headers: Record<string, string> = req.headers.authorization === undefined ? {} : { authorization: req.headers.authorization };
    const delay = kind === 'slow' ? 6_000 : slowMs;
    void new Promise((r) => waits.add(setTimeout(r, delay)))
      .then(() => fetch(`${candidate}${req.url}`, { headers, redirect: 'manual' }))
      .then(async (r) => ({ status: r.status, contentType: r.headers.get('content-type'), location: r.headers.get('location'), body: await r.text() }))
      .then((a) => {
        const out = alter(kind, a, base, candidate);
        const head: Record<string, string> = {};
        if (out.contentType !== null) head['content-type'] = out.contentType;
        if (out.location !== null) head.location = out.location;
        res.writeHead(out.status, head).end(out.body);
      }, (err: Error) => res.writeHead(502).end(err.message))
      .finally(() => (inFlight -= 1));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    maxInFlight: () => maxInFlight,
    arrivals,
    close: () => new Promise((r) => { waits.forEach(clearTimeout); server.closeAllConnections(); server.close(() => r()); }),
  };
}
