// The customer object of api.md, keys in its order.
import { RawJson } from '../../../shared/json';
import { formatDrfTimestamp } from '../../../shared/events/time';
import { ListedRow } from '../listing/execute/statements';

export function serializeCustomer(u: ListedRow, online: boolean | RawJson): Record<string, unknown> {
  return {
    id: new RawJson(u.id),
    username: u.username,
    mobile_number: u.mobile_number,
    email: u.email,
    avatar: u.avatar,
    first_name: u.first_name,
    last_name: u.last_name,
    full_name: u.full_name,
    gender: u.gender,
    is_active: u.is_active,
    is_profile_completed: u.is_profile_completed,
    last_login: formatDrfTimestamp(u.last_login),
    created_at: formatDrfTimestamp(u.created_at),
    updated_at: formatDrfTimestamp(u.updated_at),
    is_online: online,
  };
}
