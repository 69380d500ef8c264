// A first start with nothing installed (issue 8): `rollcall all --demo` with DATABASE_URL and REDIS_URL unset
// and their default ports closed (PGPORT, REDIS_PORT point at free ports) runs on an embedded PostgreSQL
// (PGlite) and in-process activity, says so in one line each, seeds and prints a working curl. Then a part
// of the query suite runs against it over HTTP with the same expectations as on the real servers: the
// reference fold of a generated history.
import { spawn, ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Kafka } from 'kafkajs';
import { createKafka } from '../../shared/kafka';
import { loadConfig } from '../../shared/config';
import { createLogger } from '../../shared/logger';
import { freePort } from '../helpers/ownServers';
import { eventually, publish } from '../helpers/events';
import { generateHistory } from '../helpers/historyGenerator';
import { OrderTerm, RefUser, ReferenceFold } from '../helpers/referenceFold';
import { getText, listAll } from '../helpers/listAll';
import { runId } from '../helpers/runEnv';

const CLI = path.join(__dirname, '../../bin/rollcall.js');
let child: ChildProcess | undefined;
let dataDir: string;
let api: string;
let output = '';
let kafka: Kafka;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'rollcall-pglite-'));
  const [pgPort, redisPort, httpPort] = [await freePort(), await freePort(), await freePort()];
  const unique = `${runId()}-${randomBytes(4).toString('hex')}`;
  const { DATABASE_URL: _d, REDIS_URL: _r, READ_DATABASE_URL: _rd, ...rest } = process.env;
  env = {
    ...rest, PGPORT: String(pgPort), REDIS_PORT: String(redisPort), PORT: String(httpPort), HOST: '127.0.0.1',
    PGLITE_DATA_DIR: dataDir, EVENTS_TOPIC: `emb-events-${unique}`, ACTIVITY_TOPIC: `emb-activity-${unique}`,
    DLQ_TOPIC: `emb-dlq-${unique}`, KAFKA_GROUP_ID: `emb-${unique}`, LOG_LEVEL: 'info',
  };
  api = `http://127.0.0.1:${httpPort}`;
  kafka = createKafka(loadConfig(env), createLogger('silent'));
  child = spawn(process.execPath, [CLI, 'all', '--demo'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (c: Buffer) => void (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => void (output += c.toString()));
  await eventually(async () => (output.includes('rollcall is ready with demo data') ? true : undefined), 150_000, `the demo to be ready; output so far:\n${output}`);
}, 180_000);

afterAll(async () => {
  if (child !== undefined && child.exitCode === null) {
    await new Promise<void>((resolve) => {
      child?.once('exit', () => resolve());
      child?.kill('SIGTERM');
    });
  }
  rmSync(dataDir, { recursive: true, force: true });
}, 30_000);

it('says once each that PostgreSQL is embedded and activity is in-process, and prints a curl that works', async () => {
  const lines = output.split('\n');
  expect(lines.filter((l) => l.includes('using an embedded PostgreSQL (PGlite)'))).toHaveLength(1);
  expect(lines.filter((l) => l.includes('token activity is kept in this process'))).toHaveLength(1);
  const curl = /curl -s -H 'Authorization: Token (\w+)' '([^']+)'/.exec(output);
  expect(curl).not.toBeNull();
  const res = await getText(api, new URL(curl![2]!).pathname + new URL(curl![2]!).search, curl![1]!);
  expect(res.status).toBe(200);
  expect(JSON.parse(res.text).results).toHaveLength(5);
});

describe('the query suite on the embedded stores', () => {
  const history = generateHistory({ seed: 5, users: 150, groups: 8 });
  const fold = new ReferenceFold();
  history.messages.forEach((m, i) => {
    if (!m.poison) fold.apply(i, JSON.parse(m.value));
  });
  // The generated users have small ids; the demo's seeded users have ids from the clock, far above.
  const mine = 'id_max=999999999';
  const contains = (u: RefUser, term: string) =>
    [String(u.id), u.username, u.mobile_number, u.email, u.first_name, u.last_name].some((f) => f !== null && f.toUpperCase().includes(term.toUpperCase()));

  beforeAll(async () => {
    await publish(kafka, env.EVENTS_TOPIC as string, history.messages);
    const expected = fold.expectedObjects('staff').length;
    let last = '';
    await eventually(async () => {
      const res = await getText(api, `/api/users/?${mine}&limit=1`, history.adminToken);
      last = `${res.status} ${res.text.slice(0, 200)}`;
      return res.status === 200 && JSON.parse(res.text).count === expected ? true : undefined;
    }, 120_000, 'the history to be projected').catch((err: Error) => {
      throw new Error(`${err.message}; expected ${expected} staff, last answer: ${last}\n${output.slice(-3000)}`);
    });
  }, 150_000);

  // Always three items: jest hands a row of two a `done` callback as its third argument.
  const cases: Array<[string, (u: RefUser) => boolean, OrderTerm[]]> = [
    ['', () => true, []],
    ['is_active=false', (u) => !u.is_active, []],
    ['has_email=true&ordering=-username', (u) => u.email !== null && u.email !== '', [['username', true]]],
    ['gender=female&ordering=last_login', (u) => u.gender === 'female', [['last_login', false]]],
    ['search=a%20e', (u) => contains(u, 'a') && contains(u, 'e'), []],
    ['created_from=2025-09-01&ordering=updated_at', (u) => u.created_at.slice(0, 10) >= '2025-09-01', [['updated_at', false]]],
  ];
  it.each(cases)('?%s on both endpoints equals the reference fold', async (qs, where, order) => {
    const query = `${mine}${qs === '' ? '' : `&${qs}`}`;
    expect(await listAll(api, '/api/users/', history.adminToken, query)).toEqual(fold.expectedObjects('staff', where, order));
    expect(await listAll(api, '/api/customers', history.adminToken, query)).toEqual(fold.expectedObjects('customers', where, order));
  });

  it('makes the caller online in-process', async () => {
    const res = await getText(api, `/api/users/?${mine}&is_online=true`, history.adminToken);
    expect(JSON.parse(res.text).results.map((u: { id: number }) => u.id)).toEqual([history.adminId]);
  });
});
