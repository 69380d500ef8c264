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

/**
 * What a schema is in JSON Schema where zod cannot say it (refinements, transforms): the AsyncAPI document
 * (services/api/schema/asyncapi.ts) writes this instead of zod's own reading.
 */
export const asJsonSchema = (schema: Record<string, unknown>) => ({ jsonSchema: schema });

/** A 64-bit positive id, carried as its decimal digits. */
export const id = integer(1n, MAX_ID, 'must be below 2^63')
  .transform(String)
  .meta(asJsonSchema({ type: 'integer', format: 'int64', minimum: 1, description: 'a positive integer below 2^63 (exact past 2^53)' }));
const code = integer(1n, 2147483647n, 'must fit a 32-bit integer')
  .transform(Number)
  .meta(asJsonSchema({ type: 'integer', format: 'int32', minimum: 1, maximum: 2147483647 }));

/** Text PostgreSQL can store as given: no NUL, no lone surrogate. Any length: the writer owns its limits. */
const storable = z
  .string()
  .refine((s) => !s.includes('\u0000'), 'must not contain NUL')
  .refine((s) => s.isWellFormed(), 'must be well-formed Unicode')
  .meta(asJsonSchema({ type: 'string', description: 'any text PostgreSQL can store: no NUL, no lone surrogate; "" is kept' }));

/**
 * A name events.md bounds (username, a group's name): 1 to 150 characters counted as Django counts them,
 * in code points, so 150 characters of a script outside the BMP (300 UTF-16 units) still fit.
 */
const name = storable
  .refine((s) => s !== '' && codePoints(s) <= 150, 'must be 1 to 150 characters')
  .meta(asJsonSchema({ type: 'string', minLength: 1, maxLength: 150, description: '1 to 150 characters (code points); no NUL, no lone surrogate' }));

const username = name;
const gender = z.enum(['male', 'female', 'other']);
/** The data of the event types that carry none: any object, unknown keys dropped. */
export const emptyData = z.object({});

/**
 * The profile values of events.md's paragraph "Profile values arrive as the writer's Django models hold them":
 * in user.registered as in user.profile_updated each may be null (no value; in an update, null clears it) or
 * absent; text may be "" and is kept as given; avatar is any text. Only a wrong JSON type, a gender outside
 * the three, or text PostgreSQL cannot store is refused.
 */
const profile = {
  email: storable.nullable().optional(),
  mobile_number: storable.nullable().optional(),
  first_name: storable.nullable().optional(),
  last_name: storable.nullable().optional(),
  gender: gender.nullable().optional(),
  avatar: storable.nullable().optional(),
};
const inviteCode = storable.nullable();

export const userEventData = {
  'user.registered': z.object({
    username,
    ...profile,
    // A Django ForeignKey with null=True is published as null when unset: no inviter (docs/decisions.md).
    invited_by: id.nullable().optional(),
    invite_code: inviteCode.optional(),
    is_active: z.boolean().default(true),
    is_staff: z.boolean().default(false),
    is_admin: z.boolean().default(false),
    is_email_verified: z.boolean().default(false),
  }),
  'user.profile_updated': z.object({ username: username.optional(), ...profile }),
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
  'user.invite_code_assigned': z.object({ invite_code: inviteCode }),
  'user.deleted': emptyData,
} as const;

export const groupEventData = {
  'group.created': z.object({ name }),
  'group.renamed': z.object({ name }),
  'group.deleted': emptyData,
  'group.permission_granted': z.object({ code }),
  'group.permission_revoked': z.object({ code }),
} as const;

export const activityEventData = {
  'token.used': emptyData,
} as const;

function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

type DataOf<T extends Record<string, z.ZodType>> = { [K in keyof T]: { type: K; data: z.output<T[K]> } }[keyof T];

export type UserEventBody = DataOf<typeof userEventData>;
export type GroupEventBody = DataOf<typeof groupEventData>;
export type ActivityEventBody = DataOf<typeof activityEventData>;
export type UserEventType = keyof typeof userEventData;
export type GroupEventType = keyof typeof groupEventData;
