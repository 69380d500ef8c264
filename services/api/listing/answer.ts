// A list request's body once it is authenticated and allowed: kept (kept.ts) when the index and the online set
// say nothing changed since it was made, otherwise parse → plan and execute (execute/execute.ts) → render.
import type { OnlineSnapshot } from '../../../shared/activity/onlineSnapshot';
import { ApiError } from '../errors';
import { parseQueryString } from '../queryString';
import { pageLinks } from './parse/pagination';
import { listRequest } from './parse/listRequest';
import { KeptAnswers } from './kept';
import { listBody, RowRenderer } from './render';
import type { Page, PageAsked, PageSource } from './pageSource';
import type { Endpoint } from './endpoint';

/** Bytes held over every kept page and over every kept body, keys included (kept.ts): about 10 MB each. */
const MAX_KEPT_BYTES = 10_000_000;
/** A page's row as held (its object, its fields' strings): an estimate, which bounds the rows kept to about 10,000. */
const ROW_BYTES = 1_000;

export class Answers {
  readonly pages = new KeptAnswers<Page>(MAX_KEPT_BYTES, (p) => (p.rows.length + 1) * ROW_BYTES);
  /** As bytes: encoding a body is a good part of writing it, done once for every answer it serves. */
  readonly bodies = new KeptAnswers<Buffer>(MAX_KEPT_BYTES, (b) => b.length);
  /** Pages being made, by key and version: requests asking the same at once share one (a burst after a commit). */
  readonly making = new Map<string, Promise<Page>>();
}

export type AnswerDeps = Readonly<{ pages: PageSource; answers: Answers; maxPageSize: number }>;

/** What a request asks, as the answer depends on it: `base` is scheme://host/path (its links). */
export type Asked = Readonly<{ schema: string; base: string; querystring: string; online: OnlineSnapshot | null }>;

/**
 * The body of a 200 answer to `asked`. `online` null: the online set is unavailable (a request filtering on it
 * is refused; others show everyone offline, and are never kept).
 */
export async function listAnswer(deps: AnswerDeps, endpoint: Endpoint, render: RowRenderer, asked: Asked): Promise<Buffer> {
  const { schema, online } = asked;
  const held = deps.pages.keepVersion(schema);
  const version = held === null || online === null ? null : `${held}/${online.version}`;
  const bodyKey = `${schema}:${endpoint.audience}:${asked.base}?${asked.querystring}`;
  const keptBody = version === null ? undefined : deps.answers.bodies.get(bodyKey, version);
  if (keptBody !== undefined) return keptBody;

  const pairs = parseQueryString(asked.querystring);
  const req = listRequest(pairs, endpoint, { schema }, deps.maxPageSize);
  if (req.online !== null && online === null) throw new ApiError(503, { detail: 'Online status is temporarily unavailable.' });
  // A page that did not read the online set is good for any online set: kept under the index's version alone.
  const pageVersion = req.online === null ? held : version;
  const pageKey = `${schema}:${endpoint.audience}?${asked.querystring}`;
  const page = pageVersion === null ? await deps.pages.page({ schema, endpoint, req, querystring: asked.querystring, online })
    : deps.answers.pages.get(pageKey, pageVersion) ?? (await keptPage(deps, { schema, endpoint, req, querystring: asked.querystring, online }, pageKey, pageVersion));
  const links = pageLinks(asked.base, pairs, req.page, page.count);
  const body = Buffer.from(listBody(page.count, links.next, links.previous, page.rows.map((r) => render.row(r, online?.has(r.id) ?? false))));
  if (version !== null) deps.answers.bodies.set(bodyKey, version, body, online?.keptUntil());
  return body;
}

/** The page made once for every request asking it at this version, then kept (until its online set changes, if it read it). */
function keptPage(deps: AnswerDeps, asked: PageAsked, key: string, version: string): Promise<Page> {
  const making = `${version}:${key}`;
  let page = deps.answers.making.get(making);
  if (page === undefined) {
    page = deps.pages.page(asked).then((made) => {
      deps.answers.pages.set(key, version, made, asked.req.online === null ? Infinity : asked.online?.keptUntil());
      return made;
    }).finally(() => deps.answers.making.delete(making));
    deps.answers.making.set(making, page);
  }
  return page;
}
