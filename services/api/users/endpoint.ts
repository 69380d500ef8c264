import { Endpoint } from '../listing/endpoint';
import { serializeUser } from './serialize';

/** Permission code that lets staff list staff and admins (api.md, "Endpoints"). */
export const LIST_USERS_PERMISSION = 1222;

export const usersEndpoint: Endpoint = {
  audience: 'staff',
  details: true,
  allowed: (p) => p.isAdmin || (p.isStaff && p.permissions.has(LIST_USERS_PERMISSION)),
  serialize: serializeUser,
};
