// Hostile input (issue 7): thousands of generated query strings (SQL fragments, quotes, NUL bytes, invalid
// UTF-8 percent-escapes, raw latin1 bytes, unicode, huge and negative and float numbers, repeated parameters,
// 10,000-character values) sent over a real socket to both endpoints. Every answer is a DRF-shaped 200 or
// 400 in under a second (414 past the request-target limit; DRF's "Malformed request." for raw bytes past
// ASCII, which Node's parser refuses), never a 500. Oversized URLs and headers get 414 and 431.
import { AddressInfo } from 'node:net';
import { request as httpRequest, Server } from 'node:http';
import { createHttpServer } from '../../services/api/listen';
import { MAX_HEADER_BYTES, MAX_TARGET_BYTES, PARSER_LIMIT_BYTES } from '../../services/api/requestLimits';
import { FILTERS } from '../../services/api/listing/parse/filters';
import { projectedDirectory, ProjectedApp } from '../helpers/projectedApp';
import { TOKENS } from '../helpers/fixtures/directory';
import { rng } from '../helpers/historyGenerator';

let t: ProjectedApp;
let server: Server;
let port: number;

beforeAll(async () => {
  t = await projectedDirectory();
  server = createHttpServer(t.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await t?.closeAll();
});

type Answer = { status: number; headers: Record<string, unknown>; body: string; ms: number };

/** Sends the request target exactly as given (Node's client passes bytes 0x21-0xff through unchanged). */
function send(target: string, headers: Record<string, string> = { Authorization: `Token ${TOKENS.admin}` }): Promise<Answer> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: target, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), ms: Date.now() - started }));
    });
    req.on('error', reject);
    req.end();
  });
}

const NAMES = ['limit', 'offset', 'search', 'ordering', ...FILTERS.map((f) => f.name), 'unknown', 'LIMIT', 'limit[]', 'search%00', '%FF'];
const NASTY = [
  "' OR 1=1 --", "1; DROP TABLE users; --", "\") union select token_sha256 from users --", "'||pg_sleep(5)||'", '$1', '?', '??',
  '%00', 'a%00b', '%C3%28', '%FF%FE', '%E2%82', '%', '%%', '%G1', '%2', '\\', '\\\\%', '_%_', '"', "'", '`', '%0A%0D', '%09',
  '99999999999999999999999999', '-1', '-0', '+0', '1.5', '1e10', '0x10', ' 7', '%207%20', '１２', '-9223372036854775809',
  '9223372036854775808', 'NaN', 'Infinity', 'true', 'True', 'TRUE', '1', '0', 'null', '[]', '{}', '2026-02-30', '2026-13-01',
  '99999-01-01', '0000-01-01', '2026-02-21T00:00', '-id', '--id', 'id,,-created_at', '-', ',', 'password', 'token_sha256',
  'male', 'FEMALE', 'ada', 'Ada Lovelace', 'a,b c\td', '\u00e9', '\u00ff\u00fe',
];

function value(r: () => number): string {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)] as T;
  const kind = r();
  if (kind < 0.55) return pick(NASTY).replace(/[\x00-\x20"\\`{}|^[\]\u0100-\uffff]/g, (c) => encodeURIComponent(c));
  if (kind < 0.75) {
    // unicode: astral, combining, right-to-left, surrogate-free random code points, percent-encoded
    const points = Array.from({ length: 1 + Math.floor(r() * 8) }, () => pick([0x1f600, 0x0301, 0x202e, 0x4e2d, 0xfeff, Math.floor(r() * 0xd7ff) + 1]));
    return encodeURIComponent(String.fromCodePoint(...points));
  }
  if (kind < 0.85) return String(Math.floor((r() - 0.5) * 10 ** Math.floor(r() * 25)));
  if (kind < 0.9) return Array.from({ length: 10_000 }, () => pick(['a', 'Z', '9', '+', '%2C', '-', '_', '.'])).join('');
  return '';
}

function queryString(r: () => number): string {
  const pairs = Array.from({ length: Math.floor(r() * 6) }, () => {
    const name = NAMES[Math.floor(r() * NAMES.length)] as string;
    return r() < 0.05 ? name : `${name}=${value(r)}`;
  });
  if (r() < 0.2 && pairs.length > 0) pairs.push(pairs[0] as string); // repeated parameter
  return pairs.join(r() < 0.1 ? '&&' : '&');
}

const isFieldErrors = (body: unknown) =>
  typeof body === 'object' && body !== null && !Array.isArray(body) &&
  Object.values(body).every((v) => Array.isArray(v) && v.length > 0 && v.every((m) => typeof m === 'string'));

it('answers thousands of generated query strings with a DRF-shaped 200 or 400 in under a second', async () => {
  const r = rng(7);
  const targets = Array.from({ length: 3_000 }, (_, i) => `${i % 2 === 0 ? '/api/users/' : '/api/customers'}?${queryString(r)}`);
  const seen = new Map<number, number>();
  const slowest = { ms: 0, target: '' };
  const worker = async (start: number) => {
    for (let i = start; i < targets.length; i += 6) {
      const target = targets[i] as string;
      const res = await send(target);
      seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
      if (res.ms > slowest.ms) Object.assign(slowest, { ms: res.ms, target: target.slice(0, 120) });
      const context = `${res.status} for ${target.slice(0, 200)}: ${res.body.slice(0, 200)}`;
      if (Buffer.byteLength(target) > MAX_TARGET_BYTES) {
        expect([context, res.status]).toEqual([context, 414]);
        continue;
      }
      expect(res.headers['content-type']).toBe('application/json');
      if (/[\x80-\xff]/.test(target)) {
        // Raw bytes past ASCII are not a valid request target (RFC 9112): Node's parser refuses the request.
        expect([context, res.status, res.body]).toEqual([context, 400, '{"detail":"Malformed request."}']);
        continue;
      }
      expect([context, res.status === 200 || res.status === 400]).toEqual([context, true]);
      const body = JSON.parse(res.body) as Record<string, unknown>;
      if (res.status === 200) expect(Object.keys(body)).toEqual(['count', 'next', 'previous', 'results']);
      else expect([context, isFieldErrors(body)]).toEqual([context, true]);
      expect([context, `${res.ms} ms`, res.ms < 1_000]).toEqual([context, `${res.ms} ms`, true]);
    }
  };
  await Promise.all(Array.from({ length: 6 }, (_, i) => worker(i)));
  process.stdout.write(`hostile input: ${targets.length} requests, statuses ${JSON.stringify(Object.fromEntries(seen))}, slowest ${slowest.ms} ms (${slowest.target})\n`);
  expect(seen.get(200)).toBeGreaterThan(300);
  expect(seen.get(400)).toBeGreaterThan(300);
}, 240_000);

it('answers 414 to a request target over the limit', async () => {
  for (const bytes of [MAX_TARGET_BYTES + 1, MAX_TARGET_BYTES * 3]) {
    const res = await send(`/api/users/?search=${'a'.repeat(bytes)}`);
    expect(res.status).toBe(414);
    expect(res.body).toBe('{"detail":"Request-URI too long."}');
  }
});

it('answers 431 to header fields over the limit, and to any request head past the parser limit', async () => {
  const huge = await send(`/api/users/?search=${'a'.repeat(PARSER_LIMIT_BYTES)}`);
  expect([huge.status, huge.body]).toEqual([431, '{"detail":"Request header fields too large."}']);
  for (const bytes of [MAX_HEADER_BYTES + 1, MAX_HEADER_BYTES * 3]) {
    const res = await send('/api/users/', { Authorization: `Token ${TOKENS.admin}`, Cookie: 'c'.repeat(bytes) });
    expect(res.status).toBe(431);
    expect(res.body).toBe('{"detail":"Request header fields too large."}');
  }
});
