// Which authentications a committed batch may have changed (issue 25): an API keeps a caller's authentication
// while nothing it was read from changes, and the batch's notice (changeNotice.ts) names what did. A user's
// authentication is read from its token, roles, activation, deletion, own permissions and groups, and from the
// permissions and deletion of those groups (services/api/auth.ts), so these are what a batch names.
import type { UserRow } from './users/userRow';
import type { GroupRow } from './groups/evolve';

/** The users and groups whose change may change an authentication; 'all' when too many to name. */
export type AuthChanges = Readonly<{ users: readonly string[]; groups: readonly string[] }> | 'all';

/** Past this many ids a notice says 'all' rather than naming them: a notice's payload is at most 8,000 bytes. */
export const MAX_NAMED = 250;

const USER_FIELDS = ['token_sha256', 'is_active', 'is_staff', 'is_admin', 'deleted'] as const satisfies ReadonlyArray<keyof UserRow>;
const sameList = <T>(a: readonly T[], b: readonly T[]) => a.length === b.length && a.every((v, i) => v === b[i]);

function userAuthChanged(before: UserRow | undefined, after: UserRow): boolean {
  if (before === undefined) return after.token_sha256 !== null; // a new user with a token can now authenticate
  return USER_FIELDS.some((f) => before[f] !== after[f]) || !sameList(before.permissions, after.permissions) || !sameList(before.group_ids, after.group_ids);
}

function groupAuthChanged(before: GroupRow | undefined, after: GroupRow): boolean {
  // A group no one was in yet cannot change anyone's authentication, but one created under an id a member's
  // group_ids already names (joined before it was created) can: a new group is named.
  return before === undefined || before.deleted !== after.deleted || !sameList(before.permissions, after.permissions);
}

type Side<R> = Readonly<{ before: ReadonlyMap<string, R>; after: ReadonlyMap<string, R>; changed: Iterable<string> }>;

/** The ids of `side.changed` whose change `differs` says may change an authentication. */
function named<R>(side: Side<R>, differs: (before: R | undefined, after: R) => boolean): string[] {
  return [...side.changed].filter((id) => differs(side.before.get(id), side.after.get(id) as R));
}

export function authChanges(users: Side<UserRow>, groups: Side<GroupRow>): AuthChanges {
  const u = named(users, userAuthChanged);
  const g = named(groups, groupAuthChanged);
  return u.length + g.length > MAX_NAMED ? 'all' : { users: u, groups: g };
}
