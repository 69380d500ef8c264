// The data of every event type of ../shared/contract/events.md, as zod schemas: one table, one place.
import { z } from 'zod';

export const MAX_ID = 2n ** 63n - 1n;

/**
 * A whole number as parseJsonExact gives it: a safe-integer number, or a bigint past 2^53. A number that is
 * not a safe integer (1.5, or 1e300 rounded) is refused rather than rounded.
 */
export const integer = (min: bigint, max: bigint, tooBig: string) =>
  z.union([z.number(), z.bigint()]).transform((v, ctx) => {
    if (typeof v === 'number' && !Number.isSafeInteger(v)) {
      ctx.addIssue({ code: 'custom', message: 'must be an integer' });
      return z.NEVER;
    }
    const n = BigInt(v);
    if (n < min || n > max) {
      ctx.addIssue({ code: 'custom', message: n < min ? `must be an integer >= ${min}` : tooBig });
      return z.NEVER;
    }
    return n;
  });

/** A 64-bit positive id, carried as its decimal digits. */
export const id = integer(1n, MAX_ID, 'must be below 2^63').transform(String);
const code = integer(1n, 2147483647n, 'must fit a 32-bit integer').transform(Number);

/** Text PostgreSQL can store as given: no NUL, no lone surrogate. */
const text = (min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .refine((s) => !s.includes('\u0000'), 'must not contain NUL')
    .refine((s) => s.isWellFormed(), 'must be well-formed Unicode');

const username = text(1, 150);
const gender = z.enum(['male', 'female', 'other']);
const avatar = text(1, 2048).refine((s) => /^https?:\/\/\S+$/i.test(s), 'must be an http(s) URL');
/** The data of the event types that carry none: any object, unknown keys dropped. */
export const emptyData = z.object({});

/** Profile fields: in user.registered optional, in user.profile_updated also nullable (null clears). */
const profile = {
  email: text(0, 254),
  mobile_number: text(0, 32),
  first_name: text(0, 150),
  last_name: text(0, 150),
  gender,
  avatar,
};

export const userEventData = {
  'user.registered': z.object({
    username,
    ...optional(profile),
    invited_by: id.optional(),
    invite_code: text(0, 64).optional(),
    is_active: z.boolean().default(true),
    is_staff: z.boolean().default(false),
    is_admin: z.boolean().default(false),
    is_email_verified: z.boolean().default(false),
  }),
  'user.profile_updated': z.object({ username: username.optional(), ...nullableOptional(profile) }),
  'user.email_verified': emptyData,
  'user.activated': emptyData,
  'user.deactivated': emptyData,
  'user.roles_changed': z
    .object({ is_staff: z.boolean().optional(), is_admin: z.boolean().optional() })
    .refine((d) => d.is_staff !== undefined || d.is_admin !== undefined, 'needs is_staff and/or is_admin'),
  'user.logged_in': emptyData,
  'user.token_issued': z.object({ token_sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex chars') }),
  'user.token_revoked': emptyData,
  'user.joined_group': z.object({ group_id: id }),
  'user.left_group': z.object({ group_id: id }),
  'user.permission_granted': z.object({ code }),
  'user.permission_revoked': z.object({ code }),
  'user.invite_code_assigned': z.object({ invite_code: text(0, 64).nullable() }),
  'user.deleted': emptyData,
} as const;

export const groupEventData = {
  'group.created': z.object({ name: text(1, 150) }),
  'group.renamed': z.object({ name: text(1, 150) }),
  'group.deleted': emptyData,
  'group.permission_granted': z.object({ code }),
  'group.permission_revoked': z.object({ code }),
} as const;

export const activityEventData = {
  'token.used': emptyData,
} as const;

function optional<T extends Record<string, z.ZodType>>(shape: T) {
  return Object.fromEntries(Object.entries(shape).map(([k, s]) => [k, s.optional()])) as {
    [K in keyof T]: z.ZodOptional<T[K]>;
  };
}

function nullableOptional<T extends Record<string, z.ZodType>>(shape: T) {
  return Object.fromEntries(Object.entries(shape).map(([k, s]) => [k, s.nullable().optional()])) as {
    [K in keyof T]: z.ZodOptional<z.ZodNullable<T[K]>>;
  };
}

type DataOf<T extends Record<string, z.ZodType>> = { [K in keyof T]: { type: K; data: z.output<T[K]> } }[keyof T];

export type UserEventBody = DataOf<typeof userEventData>;
export type GroupEventBody = DataOf<typeof groupEventData>;
export type ActivityEventBody = DataOf<typeof activityEventData>;
export type UserEventType = keyof typeof userEventData;
export type GroupEventType = keyof typeof groupEventData;
