// Random but reproducible histories: every event type, duplicates, gaps, subjects interleaved in any order
// (memberships before their group exists), deletions, unknown types and poison messages mixed in. Profile
// values come from DjangoWriter (what a real writer publishes: blanks, nulls, storage paths, any script),
// never from what rollcall's validator is known to accept.
import { createHash } from 'node:crypto';
import { RawEvent } from './events';
import { DjangoWriter } from './djangoWriter';
import { rng } from '../../shared/random';

export { rng };

export type GeneratedMessage = RawEvent & { poison: boolean };
export type GeneratedHistory = { messages: GeneratedMessage[]; adminToken: string; adminId: number };

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** idStride spreads user ids apart (sparse ids); idBase may be past 2^32 (ids stay below 2^53 for the reference fold). */
export function generateHistory(opts: { seed: number; users: number; groups: number; idBase?: number; idStride?: number }): GeneratedHistory {
  const r = rng(opts.seed);
  const chance = (p: number) => r() < p;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const writer = new DjangoWriter(r);
  const base = opts.idBase ?? 1;
  const streams: GeneratedMessage[][] = [];
  let clock = Date.parse('2025-06-01T00:00:00Z');
  const time = () => {
    clock += 1 + Math.floor(r() * 7_200_000); // up to two hours: a history spans months
    const iso = new Date(clock).toISOString();
    const frac = chance(0.2) ? '' : `.${String(Math.floor(r() * 1e6)).padStart(6, '0')}`;
    if (!chance(0.1)) return `${iso.slice(0, 19)}${frac}Z`;
    return `${new Date(clock + 2 * 3_600_000).toISOString().slice(0, 19)}${frac}+02:00`; // the same instant at +02:00
  };
  const groupIds = Array.from({ length: opts.groups }, (_, i) => base + 100_000 + i);
  const stride = opts.idStride ?? 1;
  const userIds = Array.from({ length: opts.users }, (_, i) => base + i * stride);
  const beyond = stride === 1 ? base : base + opts.users * stride; // ids of subjects never registered: past every user

  const stream = (subject: string) => {
    const out: GeneratedMessage[] = [];
    let version = 0;
    const push = (type: string, data: Record<string, unknown>, v?: number) => {
      version = v ?? version + 1 + (chance(0.03) ? 1 : 0); // a gap now and then
      const body = { specversion: '1.0', id: `${subject}-${version}-${out.length}`, source: '/gen', type, subject, time: time(), aggregateversion: version, data };
      out.push({ subject, value: JSON.stringify(body), poison: false });
      if (chance(0.04)) out.push({ ...out[out.length - 1]! }); // a redelivered duplicate
    };
    /** A message that breaks the contract; one that takes a version (a registration) moves the stream on. */
    const poison = (value: string, takesVersion = false) => {
      if (takesVersion) version += 1;
      out.push({ subject, value, poison: true });
    };
    return { out, push, poison, next: () => version + 1 };
  };

  for (const gid of groupIds) {
    const s = stream(`group:${gid}`);
    s.push('group.created', { name: writer.groupName(gid) });
    for (let i = 0; i < 3; i++) {
      if (chance(0.3)) s.push('group.renamed', { name: writer.groupName(gid + i) });
      if (chance(0.3)) s.push(pick(['group.permission_granted', 'group.permission_revoked']), { code: pick([1222, 7, 8]) });
    }
    if (chance(0.15)) s.push('group.deleted', {});
    streams.push(s.out);
  }

  const adminId = userIds[0] as number;
  const adminToken = `admin-${opts.seed}`;
  for (const uid of userIds) {
    const s = stream(`user:${uid}`);
    const isAdmin = uid === adminId;
    // Now and then a registration breaks the contract: the user never exists, and its later events (with the
    // versions that follow) are dead letters blocked behind it.
    if (!isAdmin && chance(0.01)) s.poison(badRegistration(uid, s.next()), true);
    else s.push('user.registered', {
      username: writer.username(uid),
      ...writer.registrationProfile(uid),
      ...(uid !== adminId && chance(0.3) ? { invited_by: pick(userIds) } : chance(0.3) ? { invited_by: null } : {}),
      ...(chance(0.4) ? { is_email_verified: true } : {}),
      is_admin: isAdmin || chance(0.05),
      is_staff: chance(0.15),
      ...(!isAdmin && chance(0.1) ? { is_active: false } : {}),
    });
    if (isAdmin) s.push('user.token_issued', { token_sha256: sha(adminToken) });
    const steps = isAdmin ? 0 : Math.floor(r() * 8);
    for (let i = 0; i < steps; i++) {
      const k = r();
      if (chance(0.05)) s.poison(`{"broken": ${uid}`);
      if (chance(0.04)) {
        // A bad event with the version the next good one will carry: it must not advance the version.
        const v = s.next();
        s.poison(JSON.stringify({ specversion: '1.0', id: `p${uid}${i}`, source: '/gen', type: 'user.profile_updated', subject: `user:${uid}`, time: '2025-06-01T00:00:00Z', aggregateversion: v, data: { gender: 'robot' } }));
      }
      if (k < 0.15) s.push('user.profile_updated', writer.profileUpdate(uid));
      else if (k < 0.22) s.push('user.email_verified', {});
      else if (k < 0.3) s.push(pick(['user.activated', 'user.deactivated']), {});
      else if (k < 0.38) s.push('user.roles_changed', chance(0.5) ? { is_staff: chance(0.5) } : { is_admin: chance(0.3), is_staff: chance(0.5) });
      else if (k < 0.46) s.push('user.logged_in', {});
      else if (k < 0.54) s.push('user.token_issued', { token_sha256: sha(`t${uid}.${i}`) });
      else if (k < 0.58) s.push('user.token_revoked', {});
      else if (k < 0.7) s.push('user.joined_group', { group_id: pick([...groupIds, base + 999_999]) });
      else if (k < 0.75) s.push('user.left_group', { group_id: pick(groupIds) });
      else if (k < 0.82) s.push(pick(['user.permission_granted', 'user.permission_revoked']), { code: pick([1222, 7]) });
      else if (k < 0.87) s.push('user.invite_code_assigned', { invite_code: writer.inviteCode(uid) });
      else if (k < 0.9) s.push('user.nickname_set', { nickname: 'x' }); // an unknown type
    }
    if (!isAdmin && chance(0.08)) s.push('user.deleted', {});
    streams.push(s.out);
  }
  // Subjects that were never registered or created: their events are dead letters.
  for (let i = 0; i < Math.max(1, opts.users / 50); i++) {
    const s = stream(`user:${beyond + 500_000 + i}`);
    s.push('user.roles_changed', { is_admin: true });
    streams.push(s.out);
    const g = stream(`group:${beyond + 600_000 + i}`);
    g.push('group.renamed', { name: 'ghost' });
    streams.push(g.out);
  }
  return { messages: interleave(streams, r), adminToken, adminId };
}

/** A registration that breaks events.md: a blank gender (not one of its values), or an email that is not text. */
function badRegistration(uid: number, version: number): string {
  const data = uid % 2 === 0 ? { username: `user${uid}`, gender: '' } : { username: `user${uid}`, email: uid };
  return JSON.stringify({ specversion: '1.0', id: `bad${uid}`, source: '/gen', type: 'user.registered', subject: `user:${uid}`, time: '2025-06-01T00:00:00Z', aggregateversion: version, data });
}

/** Merges the streams in random order, keeping each stream's own order (Kafka keeps a subject's order). */
function interleave(streams: GeneratedMessage[][], r: () => number): GeneratedMessage[] {
  const cursors = streams.map(() => 0);
  const live = streams.map((_, i) => i).filter((i) => streams[i]!.length > 0);
  const out: GeneratedMessage[] = [];
  while (live.length > 0) {
    const j = Math.floor(r() * live.length);
    const i = live[j] as number;
    out.push(streams[i]![cursors[i]!++]!);
    if (cursors[i] === streams[i]!.length) live.splice(j, 1);
  }
  return out;
}
