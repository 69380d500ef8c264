// `rollcall compare` (issue 26) against real services: a second rollcall projected from the same history answers
// every request alike; a reference of the test's own (tests/helpers/alteringReference.ts) that differs on
// purpose in each way a client could notice is reported for each, as written here by hand.
import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { ProjectedApp, projectedHistory } from '../helpers/projectedApp';
import { directoryHistory, TOKENS } from '../helpers/fixtures/directory';
import { generateHistory } from '../helpers/historyGenerator';
import { createHttpServer } from '../../services/api/listen';
import { eventually } from '../helpers/events';
import { runCompare, tempFile } from '../helpers/compareRun';

const ROLES = { admin: TOKENS.admin, staff1222: TOKENS.staffWith1222, staffPlain: TOKENS.staffPlain, customer: TOKENS.customer };
const tokensFile = tempFile('tokens', `# one a role\n${Object.entries(ROLES).map(([r, t]) => `${r}=${t}`).join('\n')}\nanonymous=\n`);
// api.md's parameters, by hand: the first four on both endpoints, then the filters (the last three on /api/users/ only).
const PARAMETERS = ['limit', 'offset', 'search', 'ordering', 'has_email', 'has_avatar', 'has_phone', 'has_first_name', 'has_last_name',
  'has_token', 'is_active', 'is_profile_completed', 'is_online', 'gender', 'group_id', 'groups_in', 'id_min', 'id_max',
  'created_date', 'updated_date', 'last_login_date', 'created_from', 'updated_from', 'last_login_from', 'created_to', 'updated_to',
  'last_login_to', 'is_admin', 'is_staff', 'is_customer'];

let first: ProjectedApp;
let second: ProjectedApp;
const servers: Server[] = [];
let one: string;
let two: string;

async function serve(t: ProjectedApp): Promise<string> {
  const server = createHttpServer(t.app).listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((r) => server.once('listening', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Each role has called both once, and both show the same users online (the window is minutes long). */
async function everyoneCalled(): Promise<void> {
  for (const base of [one, two]) for (const token of Object.values(ROLES)) await fetch(`${base}/api/customers`, { headers: { authorization: `Token ${token}` } });
  const online = (base: string) => fetch(`${base}/api/users/?is_online=true&limit=50`, { headers: { authorization: `Token ${TOKENS.admin}` } }).then((r) => r.text());
  await eventually(async () => {
    const [a, b] = await Promise.all([online(one), online(two)]);
    return a.includes('"count":3,') && a.split(one).join('') === b.split(two).join('') ? true : undefined;
  }, 10_000, 'both to show the three staff and admin callers online');
}

beforeAll(async () => {
  const history = [...directoryHistory(), ...generateHistory({ seed: 26, users: 80, groups: 5 }).messages];
  [first, second] = [await projectedHistory(history), await projectedHistory(history)];
  [one, two] = [await serve(first), await serve(second)];
  await everyoneCalled();
}, 120_000);
afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
  await first?.closeAll();
  await second?.closeAll();
});

type Report = { alike: boolean; total: Record<string, number>; byEndpoint: Record<string, unknown>; byRole: Record<string, unknown>;
  byParameter: Record<string, { requests: number; different: number }>; byStatus: Record<string, number>; sharedByDifferent: string[]; skipped: Record<string, number> };

it('finds a second rollcall on the same history alike on generated requests over every parameter', async () => {
  const r = await runCompare(['--reference', one, '--candidate', two, '--tokens', tokensFile, '--generate', '70', '--rate', '400', '--concurrency', '4', '--json']);
  expect(r.stderr).toBe('');
  const report = JSON.parse(r.stdout) as Report;
  expect(report.total).toEqual({ requests: 350, identical: 350, different: 0, onlineOnly: 0, failed: 0 });
  expect(r.status).toBe(0);
  expect(Object.keys(report.byParameter).sort()).toEqual([...PARAMETERS].sort());
  expect(Object.keys(report.byEndpoint)).toEqual(['/api/customers', '/api/users/']);
  expect(Object.keys(report.byRole)).toEqual(['admin', 'anonymous', 'customer', 'staff1222', 'staffPlain']);
  // 35 requests of each endpoint a role: admin and staff1222 read both, staffPlain only customers, the customer
  // neither, anonymous is not authenticated. No 400: generated values are all readable.
  expect(report.byStatus).toEqual({ 200: 70 + 70 + 35, 401: 70, 403: 35 + 70 });
});

it('replays an access log: the list endpoints taken, the rest counted; alike', async () => {
  const log = (request: string) => `10.1.2.3 - - [08/Dec/2026:00:12:01 +0000] "${request}" 200 512 "-" "curl/8.5"`;
  const file = tempFile('access.log', [
    log('GET /api/users/?ordering=-id&limit=3 HTTP/1.1'), log('GET /api/users?limit=2 HTTP/1.1'), log('GET /api/customers?search=a HTTP/1.1'),
    log('GET /static/app.css HTTP/1.1'), log('GET /api/users/1001/ HTTP/1.1'), log('POST /api/users/ HTTP/1.1'), 'garbage', '',
    '/api/customers/?limit=1&offset=2',
  ].join('\n'));
  const r = await runCompare(['--reference', one, '--candidate', two, '--tokens', tokensFile, file, '--json']);
  const report = JSON.parse(r.stdout) as Report;
  expect(report.total).toEqual({ requests: 20, identical: 20, different: 0, onlineOnly: 0, failed: 0 });
  expect(report.skipped).toEqual({ 'other path': 2, 'other method': 1, unreadable: 1 });
  expect(Object.keys(report.byEndpoint)).toEqual(['/api/customers', '/api/customers/', '/api/users', '/api/users/']);
  expect(r.status).toBe(0);
});

