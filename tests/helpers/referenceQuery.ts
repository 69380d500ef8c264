// api.md's list endpoints read directly off the reference fold, written apart from services/api (in another
// style: one pass of predicates over plain objects): what status, count and ids in order a request must get.
// Links and objects are checked elsewhere (filters.test.ts); this is the third opinion of the differential test.
import { ReferenceFold, RefUser, drfTime, micros } from './referenceFold';

export type Expected = { status: 400; errors: Record<string, string[]> } | { status: 200; count: number; ids: number[] };
type Audience = 'customers' | 'staff';
type Pred = (u: RefUser) => boolean;

const FLAG_OF: Record<string, (u: RefUser) => boolean> = {
  has_email: (u) => filled(u.email), has_avatar: (u) => filled(u.avatar), has_phone: (u) => filled(u.mobile_number),
  has_first_name: (u) => filled(u.first_name), has_last_name: (u) => filled(u.last_name), has_token: (u) => u.token !== null,
  is_active: (u) => u.is_active,
  is_profile_completed: (u) => [u.first_name, u.last_name, u.email, u.mobile_number, u.gender].every(filled),
};
const STAFF_FLAGS: Record<string, (u: RefUser) => boolean> = { is_admin: (u) => u.is_admin, is_staff: (u) => u.is_staff, is_customer: (u) => !u.is_staff && !u.is_admin };
const TIME_OF: Record<string, (u: RefUser) => string | null> = { created: (u) => u.created_at, updated: (u) => u.updated_at, last_login: (u) => u.last_login };
const ORDERABLE = ['id', 'username', 'email', 'gender', 'last_login', 'created_at', 'updated_at'];

const filled = (s: string | null) => s !== null && s !== '';
const wholeNumber = (s: string): bigint | null => (/^\s*[+-]?\d+\s*$/.test(s) ? BigInt(s.trim()) : null);
const asBoolean = (s: string): boolean | null => ({ true: true, '1': true, false: false, '0': false } as Record<string, boolean>)[s.toLowerCase()] ?? null;
function asDate(s: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return null;
  const [y, m, d] = s.split('-').map(Number) as [number, number, number];
  const at = new Date(0);
  at.setUTCFullYear(y, m - 1, d);
  return y >= 1 && at.getUTCFullYear() === y && at.getUTCMonth() === m - 1 && at.getUTCDate() === d ? s : null;
}
const utcDay = (t: string | null) => (t === null ? null : drfTime(t)!.slice(0, 10));

/** The parameters as DRF reads them: the last value of each, empty values not given. */
function parameters(qs: string): Map<string, string> {
  const given = new Map<string, string>();
  for (const part of qs.split('&')) {
    if (part === '') continue;
    const [k, v = ''] = part.split('=').map((x) => decodeURIComponent(x.replace(/\+/g, ' '))) as [string, string?];
    given.set(k, v);
  }
  for (const [k, v] of given) if (v === '') given.delete(k);
  return given;
}

export function expectedList(fold: ReferenceFold, audience: Audience, qs: string, online: ReadonlySet<number>): Expected {
  const given = parameters(qs);
  const errors: Record<string, string[]> = {};
  const preds: Pred[] = [];
  const fail = (k: string, message: string) => (errors[k] = [message]);
  const flags = audience === 'staff' ? { ...FLAG_OF, ...STAFF_FLAGS } : FLAG_OF;
  for (const [k, v] of given) {
    if (k in flags || k === 'is_online') {
      const b = asBoolean(v);
      if (b === null) fail(k, 'Select a valid choice.');
      else preds.push(k === 'is_online' ? (u) => online.has(u.id) === b : (u) => flags[k]!(u) === b);
    } else if (k === 'gender') {
      const g = v.toLowerCase();
      if (!['male', 'female', 'other'].includes(g)) fail(k, `Select a valid choice. ${v} is not one of the available choices.`);
      else preds.push((u) => u.gender === g);
    } else if (k === 'group_id' || k === 'groups_in') {
      const items = k === 'group_id' ? [v] : v.split(',').filter((i) => i.trim() !== '');
      const ids = items.map(wholeNumber);
      if (ids.some((n) => n === null)) fail(k, 'Enter a whole number.');
      else preds.push((u) => fold.visibleGroups(u).some((g) => ids.includes(BigInt(g))));
    } else if (k === 'id_min' || k === 'id_max') {
      const n = wholeNumber(v);
      if (n === null) fail(k, 'Enter a whole number.');
      else preds.push(k === 'id_min' ? (u) => BigInt(u.id) >= n : (u) => BigInt(u.id) <= n);
    } else {
      const m = /^(created|updated|last_login)_(date|from|to)$/.exec(k);
      if (m === null) continue;
      const day = asDate(v);
      const at = TIME_OF[m[1]!]!;
      if (day === null) fail(k, 'Enter a valid date.');
      else preds.push((u) => { const d = utcDay(at(u)); return d !== null && (m[2] === 'date' ? d === day : m[2] === 'from' ? d >= day : d <= day); });
    }
  }
  if (Object.keys(errors).length > 0) return { status: 400, errors };
  const terms = (given.get('search') ?? '').replace(/\0/g, '').replace(/,/g, ' ').split(/\s+/).filter((x) => x !== '');
  preds.push((u) => terms.every((term) => [String(u.id), u.username, u.mobile_number, u.email, u.first_name, u.last_name]
    .some((f) => f !== null && f.toUpperCase().includes(term.toUpperCase()))));
  const matched = [...fold.users.values()].filter((u) => !u.deleted && (audience === 'customers') === (!u.is_staff && !u.is_admin) && preds.every((p) => p(u)));
  matched.sort(comparator(given.get('ordering')));
  const limit = Math.min(positive(given.get('limit')) ?? 10, 1000);
  const offset = Number(nonNegative(given.get('offset')) ?? 0);
  return { status: 200, count: matched.length, ids: matched.slice(offset, offset + limit).map((u) => u.id) };
}

function positive(s: string | undefined): number | null {
  const n = s === undefined ? null : wholeNumber(s);
  return n === null || n <= 0n ? null : Number(n > 1000n ? 1000n : n);
}
function nonNegative(s: string | undefined): bigint | null {
  const n = s === undefined ? null : wholeNumber(s);
  return n === null || n < 0n ? null : n;
}

/** OrderingFilter: known fields only, default -created_at, ties by id in the first field's direction; PostgreSQL's nulls and bytes. */
function comparator(ordering: string | undefined): (a: RefUser, b: RefUser) => number {
  let fields = (ordering ?? '').split(',').map((f) => f.trim()).filter((f) => ORDERABLE.includes(f.replace(/^-/, '')));
  if (fields.length === 0) fields = ['-created_at'];
  fields.push(fields[0]!.startsWith('-') ? '-id' : 'id');
  return (a, b) => {
    for (const f of fields) {
      const desc = f.startsWith('-');
      const c = compareValues((a as any)[f.replace(/^-/, '')], (b as any)[f.replace(/^-/, '')], f.replace(/^-/, ''));
      if (c !== 0) return desc ? -c : c;
    }
    return 0;
  };
}

/** Ascending, nulls last (so first when descending, as PostgreSQL). */
function compareValues(x: unknown, y: unknown, field: string): number {
  if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
  if (field === 'id') return (x as number) - (y as number);
  if (field.endsWith('_at') || field === 'last_login') return micros(x as string) - micros(y as string);
  return Buffer.compare(Buffer.from(x as string), Buffer.from(y as string));
}
