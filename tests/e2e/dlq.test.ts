// `rollcall dlq list` and `rollcall dlq redrive`: dead letters listed once each with why and where from;
// redriven after a fix, each once.
import { createProjectedApp, ProjectedApp } from '../helpers/projectedApp';
import { event, eventually, publish } from '../helpers/events';
import { activeGeneration } from '../../projections/generations';
import { loadUsers } from '../../projections/users/store';
import { runCli, succeeded } from '../helpers/cli';

let t: ProjectedApp;
beforeAll(async () => {
  t = await createProjectedApp();
  await t.startProjector();
});
afterAll(() => t?.closeAll());

/** The command's stdout; a failure shows its exit code and stderr. */
const cli = async (...args: string[]) => succeeded(await runCli(t.env, ...args));
const user = async (id: string) => (await loadUsers(t.db, (await activeGeneration(t.db)).schema, [id])).get(id);

it('lists dead letters, then redrives each once after the fix arrives', async () => {
  const promoted = event('user:77', 'user.roles_changed', 2, { is_admin: true }); // its registration was lost upstream
  await publish(t.kafka, t.config.topics.events, [promoted, { subject: 'user:5', value: 'garbage' }, event('user:78', 'user.registered', 1, { username: 'ok' })]);
  await t.waitForOffsets(3);

  const letters = JSON.parse(await cli('dlq', 'list', '--json'));
  expect(letters.map((l: { value: string }) => l.value).sort()).toEqual([promoted.value, 'garbage'].sort());
  expect(letters.find((l: { value: string }) => l.value === promoted.value)).toMatchObject({
    key: 'user:77', error: 'user:77 was never registered', origin: { topic: t.config.topics.events },
  });
  expect(await cli('dlq', 'list')).toMatch(/^2 dead letters\n/);

  // Upstream publishes the lost registration again: now the promotion can apply.
  await publish(t.kafka, t.config.topics.events, [event('user:77', 'user.registered', 1, { username: 'late' })]);
  await t.waitForOffsets(4);
  expect(await cli('dlq', 'redrive')).toBe(`redrove 2 dead letters to ${t.config.topics.events}; 0 were redriven before\n`);
  await t.waitForOffsets(6);
  expect(await user('77')).toMatchObject({ username: 'late', is_admin: true, version: '2' });

  // The garbage is dead again (from its new offset); a second redrive sends only that one.
  await eventually(async () => (JSON.parse(await cli('dlq', 'list', '--json')).length === 3 ? true : undefined));
  expect(await cli('dlq', 'redrive')).toBe(`redrove 1 dead letters to ${t.config.topics.events}; 2 were redriven before\n`);
});
