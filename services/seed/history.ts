// A realistic synthetic history for demos: users with profiles, invitations, roles, groups with
// permissions, tokens, logins. Deterministic for a given seed; ids start at idBase so seeds don't collide.
import { createHash, randomBytes } from 'node:crypto';
import { rng } from '../../shared/random';

export type SeedEvent = { topic: 'events' | 'activity'; subject: string; value: Record<string, unknown> };
export type SeedHistory = { events: SeedEvent[]; adminToken: string; users: number; groups: number };

const FIRST = ['Ada', 'Linus', 'Grace', 'Ken', 'Barbara', 'Dennis', 'Margaret', 'Alan', 'Frances', 'Edsger', 'Radia', 'Niklaus'];
const LAST = ['Lovelace', 'Torvalds', 'Hopper', 'Thompson', 'Liskov', 'Ritchie', 'Hamilton', 'Turing', 'Allen', 'Dijkstra', 'Perlman', 'Wirth'];
const GROUPS = ['Support', 'Billing', 'Moderators', 'Editors', 'Sales', 'Research'];
const LIST_USERS_PERMISSION = 1222;

export function buildHistory(opts: { users: number; idBase: bigint; now: Date; seed?: number }): SeedHistory {
  // JSON numbers: the seed keeps its ids below 2^53 so that JSON.stringify writes them exactly.
  if (opts.idBase + 1_000_000n > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error('idBase too large for the demo seed');
  const rand = rng(opts.seed ?? 42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const versions = new Map<string, number>();
  const events: SeedEvent[] = [];
  const start = opts.now.getTime() - 90 * 86_400_000;
  const at = (ms: number) => new Date(ms).toISOString().replace('Z', `${String(Math.floor(rand() * 1000)).padStart(3, '0')}Z`);
  const emit = (subject: string, type: string, timeMs: number, data: Record<string, unknown>, topic: 'events' | 'activity' = 'events') => {
    const version = topic === 'events' ? (versions.get(subject) ?? 0) + 1 : undefined;
    if (version !== undefined) versions.set(subject, version);
    events.push({
      topic,
      subject,
      value: {
        specversion: '1.0', id: randomBytes(16).toString('hex'), source: '/rollcall/seed', type, subject,
        time: at(timeMs), datacontenttype: 'application/json', ...(version === undefined ? {} : { aggregateversion: version }), data,
      },
    });
  };

  const groupIds = GROUPS.map((_, i) => opts.idBase + BigInt(i + 1));
  GROUPS.forEach((name, i) => emit(`group:${groupIds[i]}`, 'group.created', start, { name }));
  emit(`group:${groupIds[0]}`, 'group.permission_granted', start + 1000, { code: LIST_USERS_PERMISSION });

  const adminToken = randomBytes(20).toString('hex');
  for (let i = 0; i < opts.users; i++) {
    const id = opts.idBase + 1000n + BigInt(i);
    const subject = `user:${id}`;
    const first = pick(FIRST), last = pick(LAST);
    const username = `${first}.${last}${i}`.toLowerCase();
    let t = start + Math.floor(rand() * 80 * 86_400_000);
    const role = i === 0 ? 'admin' : rand() < 0.1 ? 'staff' : 'customer';
    emit(subject, 'user.registered', t, {
      username,
      email: rand() < 0.9 ? `${username}@example.com` : '',
      ...(rand() < 0.7 ? { first_name: first, last_name: last } : {}),
      ...(rand() < 0.6 ? { mobile_number: `+1555${String(1000000 + i).slice(1)}`, gender: pick(['male', 'female', 'other']) } : {}),
      ...(i > 5 && rand() < 0.3 ? { invited_by: Number(opts.idBase + 1000n + BigInt(Math.floor(rand() * i))) } : {}),
      is_staff: role === 'staff',
      is_admin: role === 'admin',
    });
    if (rand() < 0.6) emit(subject, 'user.email_verified', (t += 3_600_000), {});
    if (role === 'staff') emit(subject, 'user.joined_group', (t += 60_000), { group_id: Number(pick(groupIds)) });
    if (role !== 'customer' || rand() < 0.5) {
      const token = i === 0 ? adminToken : randomBytes(20).toString('hex');
      emit(subject, 'user.token_issued', (t += 60_000), { token_sha256: createHash('sha256').update(token).digest('hex') });
      emit(subject, 'user.logged_in', (t += 60_000), {});
      if (rand() < 0.2) emit(subject, 'token.used', opts.now.getTime() - Math.floor(rand() * 120_000), {}, 'activity');
    }
    if (rand() < 0.05) emit(subject, 'user.deactivated', (t += 86_400_000), {});
  }
  return { events, adminToken, users: opts.users, groups: GROUPS.length };
}
