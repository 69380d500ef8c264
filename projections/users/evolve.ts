// The users projection: a pure fold of one user event into the user's row (events.md, "User events").
import { EventMeta } from '../../shared/events/envelope';
import { UserEventBody } from '../../shared/events/types';
import { evolveVersioned, Outcome } from '../versioning';
import { UserRow } from './userRow';

export type UserEvent = { meta: EventMeta; body: UserEventBody };

export function evolveUser(state: UserRow | undefined, event: UserEvent): Outcome<UserRow> {
  const { meta, body } = event;
  const rules = { subject: meta.subject, version: meta.version as bigint, creates: body.type === 'user.registered', created: 'registered' };
  return evolveVersioned(state, rules, () => apply(state as UserRow, event));
}

/** Always a new row (evolveVersioned sets its version). Events that touch the profile move updated_at (events.md). */
function apply(user: UserRow, { meta, body }: UserEvent): UserRow {
  switch (body.type) {
    case 'user.registered': {
      const d = body.data;
      return {
        id: meta.subjectId,
        version: '0',
        username: d.username,
        email: d.email ?? null,
        mobile_number: d.mobile_number ?? null,
        first_name: d.first_name ?? null,
        last_name: d.last_name ?? null,
        gender: d.gender ?? null,
        avatar: d.avatar ?? null,
        invited_by: d.invited_by ?? null,
        invite_code: d.invite_code ?? null,
        is_active: d.is_active,
        is_staff: d.is_staff,
        is_admin: d.is_admin,
        is_email_verified: d.is_email_verified,
        last_login: null,
        created_at: meta.time,
        updated_at: meta.time,
        token_sha256: null,
        permissions: [],
        group_ids: [],
        deleted: false,
      };
    }
    case 'user.profile_updated': {
      const changes = Object.fromEntries(Object.entries(body.data).filter(([, v]) => v !== undefined));
      const emailChanged = 'email' in changes && changes.email !== user.email;
      return { ...user, updated_at: meta.time, ...changes, is_email_verified: emailChanged ? false : user.is_email_verified };
    }
    case 'user.email_verified':
      return { ...user, updated_at: meta.time, is_email_verified: true };
    case 'user.activated':
      return { ...user, updated_at: meta.time, is_active: true };
    case 'user.deactivated':
      return { ...user, updated_at: meta.time, is_active: false };
    case 'user.roles_changed':
      return {
        ...user,
        updated_at: meta.time,
        is_staff: body.data.is_staff ?? user.is_staff,
        is_admin: body.data.is_admin ?? user.is_admin,
      };
    case 'user.invite_code_assigned':
      return { ...user, updated_at: meta.time, invite_code: body.data.invite_code };
    case 'user.logged_in':
      return { ...user, last_login: meta.time };
    case 'user.token_issued':
      return { ...user, token_sha256: body.data.token_sha256 };
    case 'user.token_revoked':
      return { ...user, token_sha256: null };
    case 'user.joined_group':
      return { ...user, group_ids: withItem(user.group_ids, body.data.group_id) };
    case 'user.left_group':
      return { ...user, group_ids: user.group_ids.filter((g) => g !== body.data.group_id) };
    case 'user.permission_granted':
      return { ...user, permissions: withItem(user.permissions, body.data.code) };
    case 'user.permission_revoked':
      return { ...user, permissions: user.permissions.filter((c) => c !== body.data.code) };
    case 'user.deleted':
      return { ...user, deleted: true, token_sha256: null };
    default: {
      const unhandled: never = body;
      throw new Error(`unhandled user event ${(unhandled as { type: string }).type}`);
    }
  }
}

function withItem<T>(items: T[], item: T): T[] {
  return items.includes(item) ? items : [...items, item];
}
