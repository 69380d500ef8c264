// The user object of api.md, keys in its order.
import { RawJson } from '../../../shared/json';
import { formatDrfTimestamp } from '../../../shared/events/time';
import { ListedRow } from '../listing/execute/statements';

export function serializeUser(u: ListedRow, online: boolean | RawJson): Record<string, unknown> {
  return {
    id: new RawJson(u.id),
    username: u.username,
    mobile_number: u.mobile_number,
    email: u.email,
    is_email_verified: u.is_email_verified,
    avatar: u.avatar,
    first_name: u.first_name,
    last_name: u.last_name,
    full_name: u.full_name,
    gender: u.gender,
    invited_by: u.inviter && { id: new RawJson(u.inviter.id), username: u.inviter.username, full_name: u.inviter.full_name },
    invite_code: u.invite_code,
    invitees_count: new RawJson(u.invitees_count),
    is_active: u.is_active,
    is_staff: u.is_staff,
    is_admin: u.is_admin,
    is_online: online,
    is_profile_completed: u.is_profile_completed,
    last_login: formatDrfTimestamp(u.last_login),
    created_at: formatDrfTimestamp(u.created_at),
    updated_at: formatDrfTimestamp(u.updated_at),
    groups_data: (u.groups ?? []).map((g) => ({ id: new RawJson(g.id), name: g.name })),
  };
}
