// `rollcall events check` (ops.md; issue 19) says of each message what the projector does with it: a file of
// good and bad events is checked by the command and published through Kafka to a real projector, and the two
// verdicts (and every dead letter's reason) must be the same, message by message.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createProjectedApp, ProjectedApp } from '../helpers/projectedApp';
import { event } from '../helpers/events';
import { readDeadLetters } from '../helpers/dlq';
import { CLI } from '../helpers/cli';
import { createProducer } from '../../shared/kafka';

let t: ProjectedApp;
beforeAll(async () => {
  t = await createProjectedApp();
});
afterAll(() => t?.closeAll());

const e = (subject: string, type: string, v: number, data: Record<string, unknown>) => ({ key: subject, value: event(subject, type, v, data).value });
const SAMPLE: Array<{ key: string; value: string }> = [
  e('user:1', 'user.registered', 1, { username: 'ada', email: '', avatar: 'avatars/1.png', gender: null, invite_code: null }),
  e('user:1', 'user.registered', 1, { username: 'ada' }), // a redelivery: a duplicate
  e('user:1', 'user.profile_updated', 2, { first_name: 'Ada', last_name: '' }),
  e('user:1', 'user.profile_updated', 4, { gender: 'female' }), // a gap
  e('user:1', 'user.nickname_set', 5, { nickname: 'a' }), // an unknown type
  e('user:2', 'user.registered', 1, { username: 'bob', gender: '' }), // a blank gender breaks the contract
  e('user:2', 'user.logged_in', 2, {}), // blocked behind it
  e('user:3', 'user.roles_changed', 2, { is_admin: true }), // never registered
  { key: 'user:9', value: event('user:4', 'user.registered', 1, { username: 'carol' }).value }, // the wrong key
  { key: 'user:5', value: '{"specversion": "1.0", "broken' },
  e('group:7', 'group.created', 1, { name: 'Équipe' }),
  e('user:1', 'user.joined_group', 6, { group_id: 7 }),
  e('user:6', 'user.registered', 1, { username: 'x'.repeat(151) }), // a username over 150 characters
  e('user:6', 'user.registered', 1, { username: 'dave', email: 42 }), // a number for an email
  e('user:6', 'user.registered', 1, { username: 'dave', email: 'Dave+Tag@Example.COM' }),
];

it('classifies a file of good and bad events exactly as the projector does', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rollcall-check-'));
  const file = path.join(dir, 'events.tsv');
  writeFileSync(file, SAMPLE.map((m) => `${m.key}\t${m.value}`).join('\n') + '\n');
  const checked = spawnSync(process.execPath, [CLI, 'events', 'check', file, '--json'], { encoding: 'utf8' });
  expect(checked.status).toBe(1); // some would be dead-lettered
  const report = JSON.parse(checked.stdout) as { messages: Array<{ verdict: string; why: string }>; summary: Record<string, number> };

  const producer = createProducer(t.kafka);
  await producer.connect();
  const where: Array<{ partition: number; offset: string }> = [];
  for (const m of SAMPLE) {
    const [meta] = await producer.send({ topic: t.config.topics.events, acks: -1, messages: [m] });
    where.push({ partition: meta!.partition, offset: meta!.baseOffset! });
  }
  await producer.disconnect();
  await t.startProjector();
  await t.waitForOffsets(SAMPLE.length);
  // A message fetched again after its batch committed is reported as already_applied: its first outcome counts.
  const projected = new Map(t.batches.flatMap((b) => b.outcomes.filter((o) => o.outcome !== 'already_applied').map((o) => [`${b.partition}/${o.offset}`, o.outcome] as const)));
  const verdictOf = (outcome: string | undefined) => (outcome === 'applied' ? 'applied' : outcome === 'dead_lettered' ? 'dead-lettered' : outcome === undefined ? 'missing' : 'skipped');
  const letters = await readDeadLetters(t.kafka, t.config.topics.dlq, report.summary['dead-lettered']!);
  const reasons = new Map(letters.map((l) => [`${l.headers['x-rollcall-source-partition']}/${l.headers['x-rollcall-source-offset']}`, l.headers['x-rollcall-error']]));

  const byProjector = where.map((w) => ({ verdict: verdictOf(projected.get(`${w.partition}/${w.offset}`)), reason: reasons.get(`${w.partition}/${w.offset}`) ?? null }));
  const byCheck = report.messages.map((m) => ({ verdict: m.verdict, reason: m.verdict === 'dead-lettered' ? m.why : null }));
  expect(byCheck).toEqual(byProjector);
  expect(report.summary).toEqual({ applied: 6, skipped: 2, 'dead-lettered': 7 });
});

it('prints a line per message and a summary, and exits 0 when nothing would be dead-lettered', () => {
  const good = SAMPLE.slice(0, 3).map((m) => `${m.key}\t${m.value}`).join('\n');
  const r = spawnSync(process.execPath, [CLI, 'events', 'check', '-'], { input: good, encoding: 'utf8' });
  expect(r.status).toBe(0);
  expect(r.stdout).toBe([
    'line 1  user:1  applied  user.registered',
    'line 2  user:1  skipped  user.registered: a duplicate: its version is not above the one applied',
    'line 3  user:1  applied  user.profile_updated',
    '3 messages: 2 applied, 1 skipped, 0 dead-lettered',
    '',
  ].join('\n'));
  expect(spawnSync(process.execPath, [CLI, 'events', 'verify'], { encoding: 'utf8' }).status).toBe(2);
});
