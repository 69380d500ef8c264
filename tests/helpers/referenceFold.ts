// An independent reading of events.md, written apart from projections/ (and in another style), to compute
// what the read model must hold after a history. It works on the JSON upstream sent, subject by subject.
export type RefUser = {
  id: number; version: number; username: string; email: string | null; mobile_number: string | null;
  first_name: string | null; last_name: string | null; gender: string | null; avatar: string | null;
  invited_by: number | null; invite_code: string | null; is_active: boolean; is_staff: boolean; is_admin: boolean;
  is_email_verified: boolean; last_login: string | null; created_at: string; updated_at: string;
  token: string | null; groups: Set<number>; perms: Set<number>; deleted: boolean;
};
export type RefGroup = { id: number; version: number; name: string; perms: Set<number>; deleted: boolean };
export type RefEvent = { type: string; subject: string; time: string; aggregateversion: number; data: Record<string, any> };

const PROFILE_KEYS = ['username', 'email', 'mobile_number', 'first_name', 'last_name', 'gender', 'avatar'] as const;
const KNOWN = new Set(['user.registered', 'user.profile_updated', 'user.email_verified', 'user.activated', 'user.deactivated',
  'user.roles_changed', 'user.logged_in', 'user.token_issued', 'user.token_revoked', 'user.joined_group', 'user.left_group',
  'user.permission_granted', 'user.permission_revoked', 'user.invite_code_assigned', 'user.deleted', 'group.created',
  'group.renamed', 'group.deleted', 'group.permission_granted', 'group.permission_revoked']);
const TOUCHING = new Set(['user.registered', 'user.profile_updated', 'user.email_verified', 'user.activated',
  'user.deactivated', 'user.roles_changed', 'user.invite_code_assigned']);

export class ReferenceFold {
  users = new Map<number, RefUser>();
  groups = new Map<number, RefGroup>();
  /** Indexes (into the sequence given to apply) of valid-looking events the rules send to the DLQ. */
  ruleDeadLetters = new Set<number>();

  apply(index: number, e: RefEvent): void {
    if (!KNOWN.has(e.type)) return; // newer publishers may add types: skipped
    const [kind, idText] = e.subject.split(':');
    const id = Number(idText);
    if (kind === 'group') return this.applyGroup(index, id, e);
    const u = this.users.get(id);
    if (u === undefined) {
      if (e.type === 'user.registered') this.users.set(id, register(id, e));
      else if (e.type.startsWith('user.')) this.ruleDeadLetters.add(index);
      return;
    }
    if (e.aggregateversion <= u.version || !e.type.startsWith('user.')) return;
    if (e.type === 'user.registered') {
      this.ruleDeadLetters.add(index);
      return;
    }
    u.version = e.aggregateversion;
    const d = e.data;
    if (e.type === 'user.profile_updated') {
      const oldEmail = u.email;
      for (const k of PROFILE_KEYS) if (k in d) (u as any)[k] = d[k];
      if ('email' in d && d.email !== oldEmail) u.is_email_verified = false;
    } else if (e.type === 'user.email_verified') u.is_email_verified = true;
    else if (e.type === 'user.activated') u.is_active = true;
    else if (e.type === 'user.deactivated') u.is_active = false;
    else if (e.type === 'user.roles_changed') {
      if (typeof d.is_staff === 'boolean') u.is_staff = d.is_staff;
      if (typeof d.is_admin === 'boolean') u.is_admin = d.is_admin;
    } else if (e.type === 'user.logged_in') u.last_login = e.time;
    else if (e.type === 'user.token_issued') u.token = d.token_sha256;
    else if (e.type === 'user.token_revoked') u.token = null;
    else if (e.type === 'user.joined_group') u.groups.add(Number(d.group_id));
    else if (e.type === 'user.left_group') u.groups.delete(Number(d.group_id));
    else if (e.type === 'user.permission_granted') u.perms.add(Number(d.code));
    else if (e.type === 'user.permission_revoked') u.perms.delete(Number(d.code));
    else if (e.type === 'user.invite_code_assigned') u.invite_code = d.invite_code;
    else if (e.type === 'user.deleted') u.deleted = true;
    if (TOUCHING.has(e.type)) u.updated_at = e.time;
  }

  private applyGroup(index: number, id: number, e: RefEvent): void {
    const g = this.groups.get(id);
    if (g === undefined) {
      if (e.type === 'group.created') this.groups.set(id, { id, version: e.aggregateversion, name: e.data.name, perms: new Set(), deleted: false });
      else if (e.type.startsWith('group.')) this.ruleDeadLetters.add(index);
      return;
    }
    if (e.aggregateversion <= g.version || !e.type.startsWith('group.')) return;
    if (e.type === 'group.created') {
      this.ruleDeadLetters.add(index);
      return;
    }
    g.version = e.aggregateversion;
    if (e.type === 'group.renamed') g.name = e.data.name;
    if (e.type === 'group.deleted') g.deleted = true;
    if (e.type === 'group.permission_granted') g.perms.add(Number(e.data.code));
    if (e.type === 'group.permission_revoked') g.perms.delete(Number(e.data.code));
  }

  /** The objects the API must show, as DRF would render them (is_online left out), newest first. */
  expectedObjects(audience: 'customers' | 'staff', where: (u: RefUser) => boolean = () => true, order: OrderTerm[] = []): Record<string, unknown>[] {
    const live = [...this.users.values()].filter((u) => !u.deleted);
    const listed = live.filter((u) => (audience === 'customers') === (!u.is_staff && !u.is_admin)).filter(where);
    const terms: OrderTerm[] = order.length > 0 ? [...order] : [['created_at', true]];
    if (!terms.some(([f]) => f === 'id')) terms.push(['id', (terms[0] as OrderTerm)[1]]);
    listed.sort((a, b) => {
      for (const [field, desc] of terms) {
        const c = compareField(a, b, field, desc);
        if (c !== 0) return c;
      }
      return 0;
    });
    return listed.map((u) => (audience === 'staff' ? this.userObject(u, live) : customerObject(u)));
  }

  /** The groups a user shows: existing, not deleted. */
  visibleGroups(u: RefUser): number[] {
    return [...u.groups].filter((g) => this.groups.has(g) && !this.groups.get(g)!.deleted);
  }

  private userObject(u: RefUser, live: RefUser[]): Record<string, unknown> {
    const inviter = u.invited_by === null ? undefined : this.users.get(u.invited_by);
    const shownInviter = inviter !== undefined && !inviter.deleted ? { id: inviter.id, username: inviter.username, full_name: fullName(inviter) } : null;
    return {
      id: u.id, username: u.username, mobile_number: u.mobile_number, email: u.email, is_email_verified: u.is_email_verified,
      avatar: u.avatar, first_name: u.first_name, last_name: u.last_name, full_name: fullName(u), gender: u.gender,
      invited_by: shownInviter, invite_code: u.invite_code, invitees_count: live.filter((x) => x.invited_by === u.id).length,
      is_active: u.is_active, is_staff: u.is_staff, is_admin: u.is_admin, is_profile_completed: profileCompleted(u),
      last_login: drfTime(u.last_login), created_at: drfTime(u.created_at), updated_at: drfTime(u.updated_at),
      groups_data: [...u.groups].sort((a, b) => a - b).map((g) => this.groups.get(g)).filter((g): g is RefGroup => g !== undefined && !g.deleted).map((g) => ({ id: g.id, name: g.name })),
    };
  }
}

export type OrderTerm = [field: 'id' | 'username' | 'email' | 'gender' | 'last_login' | 'created_at' | 'updated_at', descending: boolean];

/** PostgreSQL's order under the C collation: byte order for text, nulls last ascending and first descending. */
function compareField(a: RefUser, b: RefUser, field: OrderTerm[0], desc: boolean): number {
  const x = (a as any)[field] as string | number | null;
  const y = (b as any)[field] as string | number | null;
  if (x === null || y === null) {
    if (x === y) return 0;
    return (x === null ? 1 : -1) * (desc ? -1 : 1);
  }
  let c: number;
  if (field === 'id') c = (x as number) - (y as number);
  else if (field.endsWith('_at') || field === 'last_login') c = micros(x as string) - micros(y as string);
  else c = Buffer.compare(Buffer.from(x as string), Buffer.from(y as string));
  return desc ? -c : c;
}

function register(id: number, e: RefEvent): RefUser {
  const d = e.data;
  const opt = (k: string) => (d[k] === undefined ? null : d[k]);
  return {
    id, version: e.aggregateversion, username: d.username, email: opt('email'), mobile_number: opt('mobile_number'),
    first_name: opt('first_name'), last_name: opt('last_name'), gender: opt('gender'), avatar: opt('avatar'),
    invited_by: d.invited_by === undefined || d.invited_by === null ? null : Number(d.invited_by), invite_code: opt('invite_code'),
    is_active: d.is_active ?? true, is_staff: d.is_staff ?? false, is_admin: d.is_admin ?? false,
    is_email_verified: d.is_email_verified ?? false, last_login: null, created_at: e.time, updated_at: e.time,
    token: null, groups: new Set(), perms: new Set(), deleted: false,
  };
}

function customerObject(u: RefUser): Record<string, unknown> {
  return {
    id: u.id, username: u.username, mobile_number: u.mobile_number, email: u.email, avatar: u.avatar,
    first_name: u.first_name, last_name: u.last_name, full_name: fullName(u), gender: u.gender, is_active: u.is_active,
    is_profile_completed: profileCompleted(u), last_login: drfTime(u.last_login), created_at: drfTime(u.created_at),
    updated_at: drfTime(u.updated_at),
  };
}

const filled = (s: string | null) => s !== null && s !== '';
const fullName = (u: RefUser) => [u.first_name, u.last_name].filter(filled).join(' ') || null;
const profileCompleted = (u: RefUser) => [u.first_name, u.last_name, u.email, u.mobile_number, u.gender].every(filled);

/** Epoch microseconds of an RFC 3339 time with any offset. */
export function micros(t: string): number {
  const m = /^(.{19})(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(t);
  if (!m) throw new Error(`fixture time ${t}`);
  const offset = m[3] === 'Z' ? '+00:00' : (m[3] as string);
  return Date.parse(`${m[1]}${offset}`) * 1000 + Number(((m[2] ?? '') + '000000').slice(0, 6));
}

/** DRF's rendering: UTC, "Z", six fraction digits or none. */
export function drfTime(t: string | null): string | null {
  if (t === null) return null;
  const us = micros(t);
  const whole = new Date(Math.floor(us / 1_000_000) * 1000).toISOString().slice(0, 19);
  const frac = us % 1_000_000;
  return frac === 0 ? `${whole}Z` : `${whole}.${String(frac).padStart(6, '0')}Z`;
}
