// What the in-memory index is asked, and what it needs told: the one vocabulary between it and its callers.
// The index knows nothing of filters or HTTP; the listing code turns a request into an IndexQuery
// and says how PostgreSQL computes the flags word (both in services/api/listing/parse/indexQuery.ts).
import type { Knex } from 'knex';

/** Bit 0 of every user's flags word: the user exists and is not deleted. The caller lays out the other bits. */
export const PRESENT = 1;

/** The timestamps held per user, in this order (epoch microseconds, NaN for null). */
export const TIMESTAMPS = ['created_at', 'updated_at', 'last_login'] as const;

/** A date filter: the timestamp at `col` (an index into TIMESTAMPS) in [from, to). */
export type TimeRange = Readonly<{ col: number; from: number; to: number }>;

/** A group id as the index keys it: a number when exact as one, else its decimal text (ids up to 2^63). */
export type GroupKey = number | string;
/** One clause per group filter: the user must be in at least one existing group of each. */
export type GroupClauses = ReadonlyArray<readonly GroupKey[]>;

export function groupKey(id: bigint | string): GroupKey {
  const n = Number(id);
  return Number.isSafeInteger(n) ? n : String(id);
}

/**
 * One test of a user: (flags & mask) === value, id within [idMin, idMax] (exact, any 64-bit id; null: open),
 * in a group of each clause, each timestamp in its range, and every search term (folded to upper case) in the
 * user's search text.
 */
export type IndexQuery = Readonly<{
  mask: number; value: number; idMin: bigint | null; idMax: bigint | null;
  groups: GroupClauses; times: readonly TimeRange[]; search: readonly string[];
}>;

/** A test nothing passes (contradicting filters): no flags & 0 equal PRESENT. */
export const NOTHING: IndexQuery = { mask: 0, value: PRESENT, idMin: null, idMax: null, groups: [], times: [], search: [] };

/** An ordering term over what the index holds: the id, or a timestamp (index into TIMESTAMPS). */
export type NumericTerm = Readonly<{ column: 'id' | number; descending: boolean }>;

/** How PostgreSQL computes each user's flags word (a SELECT expression over alias u), bit 0 being PRESENT. */
export type FlagsSql = Readonly<{ sql: string; bindings: readonly Knex.Value[] }>;

/**
 * The characters a search term held in memory may have: ASCII, which JavaScript and PostgreSQL fold alike
 * (load.ts checks the database's upper() against this very string), but \x01, which joins the fields.
 */
export const HELD_CHARACTERS = String.fromCharCode(...Array.from({ length: 0x7e }, (_, i) => i + 2));

/** Whether every term can be searched in memory. */
export const searchable = (terms: readonly string[]): boolean => terms.every((t) => [...t].every((c) => HELD_CHARACTERS.includes(c)));
