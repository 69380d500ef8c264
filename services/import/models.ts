// Which dumped models the import reads, and how a user row's fields are named in the team's model.
import { createHash } from 'node:crypto';

/** The fields of api.md's user object that a dumped user row carries (the rest are derived), plus its m2m. */
export const USER_FIELDS = [
  'username', 'email', 'mobile_number', 'first_name', 'last_name', 'gender', 'avatar', 'invited_by', 'invite_code',
  'is_active', 'is_staff', 'is_admin', 'is_email_verified', 'created_at', 'updated_at', 'last_login', 'groups', 'user_permissions',
] as const;
export type UserField = (typeof USER_FIELDS)[number];

export type DumpModels = {
  /** `app.model` labels as dumpdata writes them (lower case). */
  user: string;
  token: string;
  group: string;
  permission: string;
  contentType: string;
  /** ours → the team's field name. */
  fields: Record<UserField, string>;
};

export function dumpModels(userModel: string, renamed: ReadonlyMap<string, string>): DumpModels {
  for (const ours of renamed.keys()) {
    if (!(USER_FIELDS as readonly string[]).includes(ours)) throw new Error(`--field ${ours}=...: "${ours}" is not one of ${USER_FIELDS.join(', ')}`);
  }
  const fields = Object.fromEntries(USER_FIELDS.map((f) => [f, renamed.get(f) ?? f])) as Record<UserField, string>;
  return { user: userModel.toLowerCase(), token: 'authtoken.token', group: 'auth.group', permission: 'auth.permission', contentType: 'contenttypes.contenttype', fields };
}

/** A dumped id as decimal digits when it is a positive integer below 2^63 (events.md's ids), else undefined. */
export function idText(value: unknown): string | undefined {
  const text = typeof value === 'bigint' || (typeof value === 'number' && Number.isSafeInteger(value)) ? String(value) : typeof value === 'string' ? value : '';
  if (!/^[1-9]\d{0,18}$/.test(text) || BigInt(text) >= 2n ** 63n) return undefined;
  return text;
}

/** DRF stores the raw key; only its SHA-256 ever leaves this function's caller (events.md, api.md). */
export const sha256Hex = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');

/** How a token is named in a report: never its key (the key is its primary key), only its hash's start. */
export const tokenLabel = (sha: string) => `sha256:${sha.slice(0, 12)}…`;
