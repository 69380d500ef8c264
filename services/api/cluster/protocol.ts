// What the API's processes say to each other when HTTP is served by several (docs/scaling.md): the primary holds
// the index and the change feed; each HTTP worker asks it for pages its kept answers do not hold, and hears
// from it what the feed heard and whether the index is current. Node's IPC channel with 'advanced'
// serialization (structured clone: bigints and nested rows pass as they are), in order per worker.
import type { HeardChange } from '../../../projections/changeNotice';
import type { Page } from '../listing/pageSource';
import type { Audience } from '../listing/parse/request';

/** A worker's question; `id` pairs it with its answer. */
export type Ask =
  | Readonly<{ t: 'page'; id: number; schema: string; audience: Audience; querystring: string }>
  | Readonly<{ t: 'metrics'; id: number }>;

/** Why a page could not be given: enough for the worker's error handling to answer as one process would. */
export type Failure = Readonly<{ message: string; code?: string; status?: number; body?: Record<string, unknown>; headers?: Record<string, string> }>;

export type Reply =
  | Readonly<{ t: 'page'; id: number; page: Page }>
  | Readonly<{ t: 'metrics'; id: number; text: string }>
  | Readonly<{ t: 'failed'; id: number; failure: Failure }>;

/** What the primary's feed is now; with the change that moved it, if one did. */
export type FeedState = Readonly<{ t: 'feed'; live: boolean; epoch: number; versions: ReadonlyArray<readonly [string, string]>; heard: HeardChange | null }>;
/** The index's state: the schema and version answers may be kept under, or null when none may be. */
export type IndexState = Readonly<{ t: 'index'; current: Readonly<{ schema: string; version: string }> | null }>;
/** The primary asks a worker for its metrics, to add them to everyone's. */
export type MetricsAsk = Readonly<{ t: 'metrics-json'; id: number }>;
export type MetricsJson = Readonly<{ t: 'metrics-json'; id: number; json: unknown }>;

export type ToWorker = Reply | FeedState | IndexState | MetricsAsk;
/** A worker ready to hear: the primary answers with the feed's and the index's state. */
export type Hello = Readonly<{ t: 'hello' }>;
export type ToPrimary = Ask | MetricsJson | Hello;
