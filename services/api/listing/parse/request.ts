// What a list request asks, once parsed (listRequest.ts): the vocabulary the planner and the executors share.
import type { Knex } from 'knex';
import type { IndexQuery } from '../../index/query';
import type { OrderTerm } from './ordering';
import type { Page } from './pagination';

export type Audience = 'customers' | 'staff';
export type Condition = Readonly<{ sql: string; bindings: readonly Knex.Value[] }>;

/**
 * How the counters of projections/users/counts.ts give a request's count: the signed sum of the counters whose
 * keys fall in each range (bytewise), or 0 when `group` names a group that does not exist (any more).
 */
export type CountFrom = Readonly<{ terms: ReadonlyArray<{ from: string; to: string; sign: 1 | -1 }>; group?: string; audienceAll: string }>;

export type DateBound = Readonly<{ column: string; bound: 'day' | 'from' | 'to' }>;

export type ListRequest = Readonly<{
  audience: Audience;
  /** How the counters give the count, when they can (no search, at most one filter that has counters). */
  countFrom: CountFrom | null;
  /** The request's only filter, when that filter is a date filter. */
  dateFilter: DateBound | null;
  /** The SQL conditions of every filter but is_online, and of the search. */
  conditions: readonly Condition[];
  /** The is_online filter's value, if given: its condition needs the online set. */
  online: boolean | null;
  /** The filters and search as one query of the in-memory index, or null when it cannot answer them. */
  indexQuery: IndexQuery | null;
  ordering: readonly OrderTerm[];
  page: Page;
  details: boolean;
}>;
