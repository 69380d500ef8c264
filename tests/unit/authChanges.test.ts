// projections/authChanges.ts against an independent rule: what a token lets its holder do, computed here from
// api.md (a live, active user holding the token; its roles; its permissions and those of its existing groups).
// For random rows before and after a batch, whenever that answer changes for any token, the notice must name the
// user or one of the groups behind it (or say 'all'): a kept authentication it does not name would be stale; a
// token that let no one in must be named by someone (the remembered refusal is dropped at any named change).
import fc from 'fast-check';
import { authChanges } from '../../projections/authChanges';
import type { UserRow } from '../../projections/users/userRow';
import type { GroupRow } from '../../projections/groups/evolve';

const TOKENS = ['t1', 't2', null] as const;
const GROUPS = ['1', '2', '3'];

const userFields = {
  token_sha256: fc.constantFrom(...TOKENS), is_active: fc.boolean(), is_staff: fc.boolean(), is_admin: fc.boolean(),
  deleted: fc.boolean(), permissions: fc.uniqueArray(fc.constantFrom(5, 1222), { maxLength: 2 }),
  group_ids: fc.uniqueArray(fc.constantFrom(...GROUPS), { maxLength: 3 }),
};
const userArb = (id: string) => fc.record(userFields).map((u) => ({ ...u, id, version: '1', username: `u${id}` }) as unknown as UserRow);
/** A batch's change of a user: any subset of its fields (one alone, often), or none. */
const userPatch = fc.option(fc.record(userFields, { requiredKeys: [] }), { nil: undefined });
const groupArb = (id: string) => fc.record({ permissions: fc.uniqueArray(fc.constantFrom(5, 1222), { maxLength: 2 }), deleted: fc.boolean() })
  .map((g) => ({ ...g, id, version: '1', name: `g${id}` }) as GroupRow);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const world = fc.record({
  users: fc.tuple(maybe(userArb('1')), maybe(userArb('2'))),
  groups: fc.tuple(maybe(groupArb('1')), maybe(groupArb('2')), maybe(groupArb('3'))),
});
/** Which groups a batch leaves as they were (else created, replaced or kept at random): often all of them. */
const groupsKept = fc.tuple(fc.boolean(), fc.boolean(), fc.boolean());
type World = { users: Array<UserRow | undefined>; groups: Array<GroupRow | undefined> };

/** api.md's answer for a token: who holds it, and what they may do; null when it lets no one in. */
function principalOf(w: World, token: string): string | null {
  const u = w.users.find((x) => x !== undefined && x.token_sha256 === token && !x.deleted);
  if (u === undefined || !u.is_active) return null;
  const viaGroups = w.groups.filter((g) => g !== undefined && !g.deleted && u.group_ids.includes(g.id)).flatMap((g) => g!.permissions);
  return JSON.stringify([u.id, u.is_staff, u.is_admin, [...new Set([...u.permissions, ...viaGroups])].sort()]);
}

const mapOf = <R extends { id: string }>(rows: Array<R | undefined>) => new Map(rows.filter((r): r is R => r !== undefined).map((r) => [r.id, r]));

it('names every user or group whose change changes what some token lets in', () => {
  fc.assert(fc.property(world, world, fc.tuple(userPatch, userPatch), groupsKept, (before, after, patches, kept) => {
    // A row is only ever created or changed by a batch, never removed (tombstones): an existing user is patched
    // (some of its fields), a missing one may be created whole; groups are replaced or kept.
    const users = before.users.map((u, i) => (u === undefined ? after.users[i] : patches[i] === undefined ? u : ({ ...u, ...patches[i] } as UserRow)));
    const a: World = { users, groups: after.groups.map((g, i) => (kept[i] === true ? before.groups[i] : g ?? before.groups[i])) };
    // DRF's token keys are unique: no world where two users hold one token (the lookup would pick either).
    const unique = (w: World) => new Set(w.users.flatMap((u) => (u?.token_sha256 ? [u.token_sha256] : []))).size === w.users.filter((u) => u?.token_sha256).length;
    fc.pre(unique(before) && unique(a));
    const changed = (rows: Array<{ id: string } | undefined>, prev: Array<unknown>) => rows.flatMap((r, i) => (r !== undefined && r !== prev[i] ? [r.id] : []));
    const named = authChanges(
      { before: mapOf(before.users), after: mapOf(a.users), changed: changed(a.users, before.users) },
      { before: mapOf(before.groups), after: mapOf(a.groups), changed: changed(a.groups, before.groups) },
    );
    for (const token of ['t1', 't2']) {
      const was = principalOf(before, token);
      if (was === principalOf(a, token) || named === 'all') continue;
      // A refusal is remembered a second, and forgotten at any notice that names someone (services/api/auth.ts).
      if (was === null) {
        if (named.users.length + named.groups.length === 0) return false;
        continue;
      }
      // A success is kept for its holder: it must be dropped, through the holder or a group it was in.
      const holder = before.users.find((u) => u !== undefined && u.token_sha256 === token && !u.deleted) as UserRow;
      if (!named.users.includes(holder.id) && !holder.group_ids.some((g) => named.groups.includes(g))) return false;
    }
    return true;
  }), { numRuns: 30_000 });
});
