// READ_DATABASE_URL on a streaming physical standby (issue 25, finding 5): the standby cannot LISTEN, so the
// API hears the primary's notices; a commit made while it heard nothing (before its feed was live, or while the
// feed's connection was down) and that the standby had not replayed when the index read it must still reach the
// index once the standby replays it, with no further commit. Both clusters are this test's own (ownServers.ts,
// ownStandby.ts); the standby's replay is paused so the "not replayed yet" moment is certain, not a race.
import { spawn, ChildProcess } from 'node:child_process';
import pg from 'pg';
import { createProjectedApp, ProjectedApp } from '../helpers/projectedApp';
import { freePort, startOwnPostgres, OwnPostgres } from '../helpers/ownServers';
import { startOwnStandby, OwnStandby } from '../helpers/ownStandby';
import { directoryHistory, DIRECTORY_EVENTS, TOKENS } from '../helpers/fixtures/directory';
import { event, eventually, publish } from '../helpers/events';
import { getText } from '../helpers/listAll';
import { CLI } from '../helpers/cli';
import { CHANGES_CHANNEL } from '../../projections/changeNotice';

const DB = 'rollcall_standby';
let pgs: OwnPostgres;
let standby: OwnStandby;
let t: ProjectedApp;
let child: ChildProcess | undefined;
let api: string;
let published = DIRECTORY_EVENTS;

async function sql<T>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** How many users PostgreSQL itself holds with this username in the serving generation of `url`'s database. */
async function usersNamed(url: string, username: string): Promise<number> {
  const [gen] = await sql<{ schema_name: string }>(url, "select schema_name from rollcall_generations where state = 'active'");
  const [row] = await sql<{ n: number }>(url, `select count(*)::int as n from ${gen!.schema_name}.users where username = $1 and not deleted`, [username]);
  return row!.n;
}

const found = async (username: string): Promise<number> => {
  const res = await getText(api, `/api/users/?search=${username}`, TOKENS.admin);
  expect(res.status).toBe(200);
  return JSON.parse(res.text).count as number;
};

const gauge = async (name: string): Promise<number> => {
  const text = await fetch(`${api}/metrics`).then((r) => r.text(), () => '');
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
};

/** The API holds its index and its feed is live: from now on it answers from memory without asking. */
const settled = () => eventually(async () => ((await gauge('rollcall_api_in_memory_index_loaded')) >= 1 && (await gauge('rollcall_api_change_feed_live')) >= 1 ? true : undefined), 30_000, 'the index loaded and the feed live');

/** A new staff user (the audience of /api/users/). */
async function register(id: number, username: string): Promise<void> {
  await publish(t.kafka, t.config.topics.events, [event(`user:${id}`, 'user.registered', 1, { username }), event(`user:${id}`, 'user.roles_changed', 2, { is_admin: true })]);
  await t.waitForOffsets((published += 2));
}

beforeAll(async () => {
  pgs = await startOwnPostgres();
  t = await createProjectedApp({ DATABASE_URL: pgs.url(DB) });
  await t.changes.close(); // the API's are then the only LISTENers on the primary (the second test ends them)
  await t.startProjector();
  await publish(t.kafka, t.config.topics.events, directoryHistory());
  await t.waitForOffsets(DIRECTORY_EVENTS);
  standby = await startOwnStandby(pgs);
  await standby.caughtUp();
}, 240_000);

afterAll(async () => {
  child?.kill('SIGTERM');
  await t?.closeAll();
  await standby?.destroy();
  await pgs?.destroy();
});

it('shows a commit made before the API started, unreplayed when it loaded, once the standby replays it', async () => {
  await standby.pauseReplay();
  await register(7001, 'standby-late');
  expect([await usersNamed(pgs.url(DB), 'standby-late'), await usersNamed(standby.url(DB), 'standby-late')]).toEqual([1, 0]);
  const port = await freePort();
  api = `http://127.0.0.1:${port}`;
  child = spawn(process.execPath, [CLI, 'api'], { env: { ...t.env, READ_DATABASE_URL: standby.url(DB), API_PROCESSES: '2', PORT: String(port), HOST: '127.0.0.1' }, stdio: 'ignore' });
  await eventually(async () => ((await fetch(`${api}/readyz`).then((r) => r.status, () => 0)) === 200 ? true : undefined), 30_000, 'the API');
  await settled();
  expect(await found('standby-late')).toBe(0); // the standby has not replayed it: nothing to show yet
  await standby.resumeReplay();
  await standby.caughtUp();
  expect(await usersNamed(standby.url(DB), 'standby-late')).toBe(1);
  await eventually(async () => ((await found('standby-late')) === 1 ? true : undefined), 3_000, 'the replayed user to be listed');
}, 90_000);

it('shows a commit made while the feed was down, unreplayed when it came back, once the standby replays it', async () => {
  await settled();
  await standby.pauseReplay();
  // The feed's LISTEN connection is ended again and again until the commit is on the primary: its notice is unheard.
  let killed = 0;
  const publishing = register(7002, 'standby-unheard');
  let done = false;
  void publishing.then(() => (done = true));
  while (!done) {
    const [row] = await sql<{ n: number }>(pgs.url('postgres'), 'select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where datname = $1 and query = $2', [DB, `listen ${CHANGES_CHANNEL}`]);
    killed += row!.n;
    await new Promise((r) => setTimeout(r, 50));
  }
  await publishing;
  expect(killed).toBeGreaterThan(0);
  expect([await usersNamed(pgs.url(DB), 'standby-unheard'), await usersNamed(standby.url(DB), 'standby-unheard')]).toEqual([1, 0]);
  await settled(); // the feed is back, and the index has read the standby again (without the user)
  expect(await found('standby-unheard')).toBe(0);
  await standby.resumeReplay();
  await standby.caughtUp();
  await eventually(async () => ((await found('standby-unheard')) === 1 ? true : undefined), 3_000, 'the replayed user to be listed');
}, 90_000);
