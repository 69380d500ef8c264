// Given a generated history (every event type, duplicates, gaps, interleaved subjects, deletions, unknown
// types, poison), projected through real Kafka into PostgreSQL, then both endpoints list exactly what an
// independent reference fold computes, and every poison message is in the DLQ with its reason.
import { createProjectedApp, ProjectedApp } from '../helpers/projectedApp';
import { publish } from '../helpers/events';
import { generateHistory } from '../helpers/historyGenerator';
import request from 'supertest';
import { ReferenceFold, RefUser } from '../helpers/referenceFold';
import { readDeadLetters } from '../helpers/dlq';
import { listAll } from '../helpers/listAll';
import { collectStatus } from '../../services/status/status';

let t: ProjectedApp | undefined;
afterEach(() => t?.closeAll());

it.each([[1], [2], [3]])('projects generated history #%i exactly as the reference fold', async (seed) => {
  const history = generateHistory({ seed, users: 600, groups: 30 });
  const fold = new ReferenceFold();
  history.messages.forEach((m, i) => {
    if (!m.poison) fold.apply(i, JSON.parse(m.value));
  });
  const expectedDead = history.messages.filter((m, i) => m.poison || fold.ruleDeadLetters.has(i)).map((m) => m.value).sort();
  const staff = fold.expectedObjects('staff');
  const customers = fold.expectedObjects('customers');
  // The history is rich enough to mean something.
  expect(history.messages.length).toBeGreaterThan(2000);
  expect(expectedDead.length).toBeGreaterThan(20);
  expect(staff.length).toBeGreaterThan(30);
  expect(customers.length).toBeGreaterThan(200);

  t = await createProjectedApp();
  await t.startProjector();
  await publish(t.kafka, t.config.topics.events, history.messages);
  await t.waitForOffsets(history.messages.length);

  expect(await listAll(t.app, '/api/users/', history.adminToken)).toEqual(staff);
  expect(await listAll(t.app, '/api/customers', history.adminToken)).toEqual(customers);
  // Every count the projector maintains (whole audience and single filters) equals the reference's.
  const filled = (v: string | null) => v !== null && v !== '';
  const single: Array<[string, (u: RefUser) => boolean]> = [
    ['has_email=true', (u) => filled(u.email)], ['has_avatar=false', (u) => !filled(u.avatar)], ['has_phone=true', (u) => filled(u.mobile_number)],
    ['has_first_name=false', (u) => !filled(u.first_name)], ['has_last_name=true', (u) => filled(u.last_name)], ['has_token=false', (u) => u.token === null],
    ['is_active=false', (u) => !u.is_active], ['gender=other', (u) => u.gender === 'other'],
    ['is_profile_completed=true', (u) => [u.first_name, u.last_name, u.email, u.mobile_number, u.gender].every(filled)],
  ];
  for (const [qs, where] of single) {
    for (const [path, audience] of [['/api/users/', 'staff'], ['/api/customers', 'customers']] as const) {
      const res = await request(t.app.callback()).get(`${path}?${qs}&limit=1`).set('Authorization', `Token ${history.adminToken}`);
      expect({ qs, path, count: JSON.parse(res.text).count }).toEqual({ qs, path, count: fold.expectedObjects(audience, where).length });
    }
  }

  // Users whose only registration broke the contract, and the later events of theirs the rules dead-letter.
  const badRegistrations = history.messages.filter((m) => m.poison && /"type":"user.registered"/.test(m.value)).map((m) => m.subject);
  const blocked = new Set(badRegistrations.filter((s) => !fold.users.has(Number(s.slice('user:'.length)))));
  const blockedEvents = history.messages.filter((m, i) => fold.ruleDeadLetters.has(i) && blocked.has(m.subject)).length;
  expect(blocked.size).toBeGreaterThan(0);
  expect((await collectStatus(t.db, t.kafka, t.config)).blocked).toEqual({ users: blocked.size, events: blockedEvents });

  const letters = await readDeadLetters(t.kafka, t.config.topics.dlq, expectedDead.length);
  expect(letters.map((l) => l.value).sort()).toEqual(expectedDead);
  expect(letters.every((l) => (l.headers['x-rollcall-error'] ?? '') !== '')).toBe(true);
});
