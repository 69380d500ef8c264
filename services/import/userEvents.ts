// One dumped user (and its token) as the contract's events, in a fixed order so the versions never depend on
// the run: registered (created_at), a profile update (updated_at, when it differs), a login (last_login), the
// token, memberships by group id, direct permissions by code. A dumped group likewise: created, then its
// permissions. Facts Django keeps no time for (memberships, permissions, groups) carry a fixed time, so a
// second run writes identical events.
import { dumpTime, ImportEvent } from './encode';
import { idText } from './models';
import { Lookups, SpooledToken, SpooledUser } from './spool';

const REGISTERED_FIELDS = [
  'username', 'email', 'mobile_number', 'first_name', 'last_name', 'gender', 'avatar', 'invite_code',
  'is_active', 'is_staff', 'is_admin', 'is_email_verified',
] as const;
/** Django keeps no time for a group; the epoch says "unknown" and stays the same from run to run. */
export const GROUP_TIME = '1970-01-01T00:00:00Z';

export class RowRefused extends Error {}

export function userEvents(id: string, user: SpooledUser, token: SpooledToken | undefined, keys: NaturalKeys): ImportEvent[] {
  const f = user.f;
  const subject = `user:${id}`;
  const created = required(f.created_at, 'created_at');
  const data: Record<string, unknown> = {};
  for (const k of REGISTERED_FIELDS) if (f[k] !== undefined) data[k] = f[k];
  if (f.invited_by !== undefined && f.invited_by !== null) data.invited_by = BigInt(reference(f.invited_by, 'invited_by'));
  const facts: Array<[string, string, Record<string, unknown>]> = [['user.registered', created, data]];
  const updated = optional(f.updated_at, 'updated_at');
  if (updated !== null && updated !== created) facts.push(['user.profile_updated', updated, {}]);
  const login = optional(f.last_login, 'last_login');
  if (login !== null) facts.push(['user.logged_in', login, {}]);
  if (token !== undefined) facts.push(['user.token_issued', dumpTime(token.created) ?? created, { token_sha256: token.sha }]);
  for (const g of sortedIds(list(f.groups, 'groups').map((r) => groupId(r, keys)))) facts.push(['user.joined_group', created, { group_id: BigInt(g) }]);
  for (const c of sortedIds(list(f.user_permissions, 'user_permissions').map((r) => permissionCode(r, keys)))) facts.push(['user.permission_granted', created, { code: Number(c) }]);
  return facts.map(([type, time, d], i) => ({ subject, version: i + 1, type, time, data: d }));
}

export function groupEvents(id: string, group: { name: unknown; permissions: unknown }, keys: NaturalKeys): ImportEvent[] {
  const codes = sortedIds(list(group.permissions, 'permissions').map((r) => permissionCode(r, keys)));
  const facts: Array<[string, Record<string, unknown>]> = [['group.created', { name: group.name }], ...codes.map((c): [string, Record<string, unknown>] => ['group.permission_granted', { code: Number(c) }])];
  return facts.map(([type, data], i) => ({ subject: `group:${id}`, version: i + 1, type, time: GROUP_TIME, data }));
}

function required(value: unknown, field: string): string {
  const t = optional(value, field);
  if (t === null) throw new RowRefused(`${field}: required`);
  return t;
}

function optional(value: unknown, field: string): string | null {
  if (value === undefined || value === null) return null;
  const t = dumpTime(value);
  if (t === undefined) throw new RowRefused(`${field}: not a timestamp with a UTC offset (${JSON.stringify(value)}; USE_TZ = False?)`);
  return t;
}

function list(value: unknown, field: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new RowRefused(`${field}: not a list`);
  return value;
}

function reference(value: unknown, field: string): string {
  const id = idText(value);
  if (id === undefined) throw new RowRefused(`${field}: ${Array.isArray(value) ? 'a natural key to a user (dump without --natural-foreign)' : `not an id (${String(value)})`}`);
  return id;
}

/** Natural keys (dumpdata --natural-foreign) of the groups and permissions the dump holds, to their ids. */
export type NaturalKeys = { groups: Map<string, string>; permissions: Map<string, string> };

export function naturalKeys(lookups: Lookups): NaturalKeys {
  const groups = new Map([...lookups.groups].map(([id, g]) => [JSON.stringify([g.name]), id]));
  const permissions = new Map([...lookups.permissions].map(([id, p]) => {
    const type = Array.isArray(p.contentType) ? p.contentType : lookups.contentTypes.get(String(p.contentType));
    return [JSON.stringify([p.codename, type?.[0], type?.[1]]), id];
  }));
  return { groups, permissions };
}

/** A group by id, or by its natural key [name] when the dump holds that group. */
function groupId(ref: unknown, keys: NaturalKeys): string {
  if (!Array.isArray(ref)) return reference(ref, 'groups');
  const id = keys.groups.get(JSON.stringify(ref));
  if (id === undefined) throw new RowRefused(`groups: no group ${JSON.stringify(ref)} in the dump`);
  return id;
}

/** A permission's number is its code; a natural key [codename, app_label, model] is looked up in the dump. */
function permissionCode(ref: unknown, keys: NaturalKeys): string {
  if (!Array.isArray(ref)) return reference(ref, 'permissions');
  const id = keys.permissions.get(JSON.stringify(ref));
  if (id === undefined) throw new RowRefused(`permissions: no permission ${JSON.stringify(ref)} in the dump`);
  return id;
}

const sortedIds = (ids: string[]) => [...new Set(ids)].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
