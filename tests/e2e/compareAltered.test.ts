// `rollcall compare` against a reference that differs from rollcall on purpose, one way per request (the `case`
// parameter, tests/helpers/alteringReference.ts): each difference reported as written here by hand; links that
// differ only by the service's address, and nothing else, count as equal; is_online alone is reported apart.
import { TOKENS } from '../helpers/fixtures/directory';
import { AlteringReference, startAlteringReference } from '../helpers/alteringReference';
import { ComparedPair, startComparedPair } from '../helpers/comparedPair';
import { runCompare, tempFile } from '../helpers/compareRun';

let pair: ComparedPair;
let rollcall: string;
let reference: AlteringReference;
const admin = { authorization: `Token ${TOKENS.admin}` };
const tokens = tempFile('tokens', `admin=${TOKENS.admin}\n`);
const root = (kind: string) => `/api/users/?limit=1&search=root&case=${kind}`;
const requests = tempFile('requests', [
  root('status'), root('media'), '/api/users?limit=1&search=root&case=location', root('value'), root('order'), root('number'),
  '/api/users/?limit=1&case=base', root('online'), root('same'), root('slow'),
].join('\n'));

beforeAll(async () => {
  pair = await startComparedPair();
  ({ rollcall, reference } = pair);
}, 60_000);
afterAll(() => pair?.close());

type Entry = { target: string; role: string; differences?: unknown[]; online?: unknown[]; failed?: unknown };

it('reports each difference made on purpose, and only those', async () => {
  const ownLinks = await (await fetch(`${reference.base}/api/users/?limit=1&case=base`, { headers: admin })).text();
  expect(ownLinks).toContain(`"next":"${reference.base}/api/users/?`); // the reference writes its own address
  const r = await runCompare(['--reference', reference.base, '--candidate', rollcall, '--tokens', tokens, requests, '--timeout', '3000', '--json']);
  expect(r.status).toBe(1);
  const report = JSON.parse(r.stdout) as { total: unknown; sharedByDifferent: string[]; differences: Entry[]; onlineOnly: Entry[]; failures: Entry[] };
  expect(report.total).toEqual({ requests: 10, identical: 2, different: 6, onlineOnly: 1, failed: 1 });
  const of = (kind: string) => report.differences.find((d) => d.target.endsWith(`case=${kind}`))?.differences;
  expect(of('status')).toEqual([{ path: 'status', kind: 'value', reference: 500, candidate: 200 }]);
  expect(of('media')).toEqual([{ path: 'content-type', kind: 'value', reference: 'text/plain', candidate: 'application/json' }]);
  expect(of('location')).toEqual([{ path: 'location', kind: 'value', reference: '/api/users/?limit=3&search=root&case=location', candidate: '/api/users/?limit=1&search=root&case=location' }]);
  expect(of('value')).toEqual([{ path: '$.results[0].username', kind: 'value', reference: 'rooT', candidate: 'root' }]);
  expect(of('order')).toEqual([{ path: '$', kind: 'key-order', reference: ['count', 'previous', 'next', 'results'], candidate: ['count', 'next', 'previous', 'results'] }]);
  expect(of('number')).toEqual([{ path: '$.count', kind: 'number', reference: 1, candidate: 1 }]);
  expect(r.stdout).toMatch(/"path": "\$\.count",\s+"kind": "number",\s+"reference": 1\.0,\s+"candidate": 1\s/); // written as each wrote it
  expect(report.onlineOnly).toEqual([{ target: root('online'), role: 'admin', differences: [], online: [{ path: '$.results[0].is_online', kind: 'value', reference: false, candidate: true }] }]);
  expect(report.failures).toEqual([{ target: root('slow'), role: 'admin', failed: { side: 'reference', why: 'no answer within 3000 ms' } }]);
  expect(report.sharedByDifferent).toEqual(['case', 'limit', 'search']);
});

it('says the same to a person, and never shows a token', async () => {
  const r = await runCompare(['--reference', reference.base, '--candidate', rollcall, '--tokens', tokens, requests, '--timeout', '3000']);
  expect(r.status).toBe(1);
  expect(r.stdout).toMatch(/^compared 10 requests: 2 identical, 6 different, 1 differing only in is_online \(timing\), 1 failed$/m);
  expect(r.stdout).toContain('  $.count [number]: 1.0 vs 1\n');
  expect(r.stdout).toContain('  status [value]: 500 vs 200\n');
  expect(r.stdout).toMatch(/^parameters every differing request carries: case, limit, search$/m);
  expect(`${r.stdout}${r.stderr}`).not.toContain(TOKENS.admin);
});

/** Eight requests through a reference answering after `slowMs`; when each arrived there, and most at once. */
async function paced(slowMs: number, ...options: string[]): Promise<{ arrivals: number[]; maxInFlight: number }> {
  const slow = await startAlteringReference(rollcall, slowMs);
  try {
    const file = tempFile('requests', Array.from({ length: 8 }, (_, i) => `/api/customers?offset=${i}`).join('\n'));
    const r = await runCompare(['--reference', slow.base, '--candidate', rollcall, '--tokens', tokens, file, ...options]);
    expect([r.status, r.stdout]).toEqual([0, expect.stringMatching(/^compared 8 requests: 8 identical/)]);
    return { arrivals: slow.arrivals, maxInFlight: slow.maxInFlight() };
  } finally {
    await slow.close();
  }
}

it('keeps to --concurrency', async () => {
  // 150 ms answers, no pacing to speak of: two at once, never three.
  expect((await paced(150, '--concurrency', '2', '--rate', '1000')).maxInFlight).toBe(2);
});

it('keeps to --rate', async () => {
  // Four workers and quick answers send the eight within about half a second (measured: 580 ms on a busy machine);
  // at 4 a second, one every 250 ms.
  // The first is left out (a process's first request waits for its connection); a generous margin for a busy machine.
  const { arrivals } = await paced(0, '--concurrency', '4', '--rate', '4');
  expect(arrivals[7]! - arrivals[1]!).toBeGreaterThanOrEqual(6 * 250 - 200);
});

it('exits 2 on a bad call, naming the problem and no token', async () => {
  const secret = 'leaky-secret-token-with a space';
  const cases: Array<[string[], RegExp]> = [
    [['--generate', '5'], /--reference URL is required/],
    [['--reference', 'ftp://x', '--generate', '5'], /--reference: only http and https URLs/],
    [['--reference', rollcall, requests, '--generate', '5'], /exactly one of/],
    [['--reference', rollcall, '--generate', 'ten'], /--generate: a whole number/],
    [['--reference', rollcall, '--bogus', requests], /Unknown option '--bogus'/],
    [['--reference', rollcall, '/nonexistent/requests.log'], /cannot read the request file \/nonexistent\/requests.log: ENOENT/],
    [['--reference', rollcall, '--tokens', tempFile('tokens', `admin=${secret}\n`), requests], /tokens file, line 1: a token has no spaces/],
  ];
  for (const [args, message] of cases) {
    const r = await runCompare(args);
    expect([r.status, r.stderr]).toEqual([2, expect.stringMatching(message)]);
    expect(r.stderr).not.toContain('leaky');
  }
});
