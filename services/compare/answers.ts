// One request's two answers compared: status, media type, Location on a redirect, and the body (jsonDiff.ts),
// the links each service wrote made relative to it first (baseUrl.ts). `is_online` says whether a user called
// within the last few minutes: the two services answer at slightly different instants, so a difference there
// alone is its own outcome, never counted as identical and never as a difference of the data.
import { diffBodies, diffJson, Difference, parseLossless } from './jsonDiff';
import { pageLinksWithoutOrigin, withoutOrigin } from './baseUrl';

export type Answer = { status: number; mediaType: string | null; location: string | null; body: string };
export type Outcome = 'identical' | 'different' | 'online-only';
export type Verdict = { outcome: Outcome; differences: Difference[]; online: Difference[] };
export type Bases = { reference: string; candidate: string };

/** `type/subtype` of a Content-Type header, lower case, without parameters (charset). */
export function mediaTypeOf(contentType: string | null): string | null {
  if (contentType === null) return null;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return type === '' ? null : type;
}

export function compareAnswers(reference: Answer, candidate: Answer, bases: Bases): Verdict {
  const found: Difference[] = [];
  const head = (path: string, r: unknown, c: unknown) => r !== c && found.push({ path, kind: 'value', reference: r, candidate: c });
  head('status', reference.status, candidate.status);
  head('content-type', reference.mediaType, candidate.mediaType);
  if (isRedirect(reference.status) || isRedirect(candidate.status)) {
    const relative = (answer: Answer, base: string) => (answer.location === null ? null : withoutOrigin(answer.location, base));
    head('location', relative(reference, bases.reference), relative(candidate, bases.candidate));
  }
  found.push(...bodyDifferences(reference.body, candidate.body, bases));
  const online = found.filter(isOnlineValue);
  const differences = found.filter((d) => !isOnlineValue(d));
  const outcome: Outcome = differences.length > 0 ? 'different' : online.length > 0 ? 'online-only' : 'identical';
  return { outcome, differences, online };
}

const isRedirect = (status: number) => status >= 300 && status < 400;

function bodyDifferences(reference: string, candidate: string, bases: Bases): Difference[] {
  if (sameText(reference, candidate, bases)) return [];
  const r = parseLossless(reference);
  const c = parseLossless(candidate);
  if (r === undefined || c === undefined) return diffBodies(reference, candidate);
  return diffJson(pageLinksWithoutOrigin(r, bases.reference), pageLinksWithoutOrigin(c, bases.candidate));
}

// A DRF page as both services write it: compact, its links plain strings (no escapes).
const PAGE_HEAD = /^\{"count":(\d+),"next":(null|"[^"\\]*"),"previous":(null|"[^"\\]*"),"results":/;

/**
 * The common case without parsing (an exact parse of a page of 1000 users takes a fifth of a second): equal texts,
 * or two pages whose links are equal once relative and whose text after them is byte for byte the same.
 */
function sameText(reference: string, candidate: string, bases: Bases): boolean {
  // Equal texts, unless a link in them is one service's own, which the other may not write.
  if (reference === candidate) return ![bases.reference, bases.candidate].some((base) => reference.includes(new URL(base).origin));
  const r = PAGE_HEAD.exec(reference);
  const c = PAGE_HEAD.exec(candidate);
  if (r === null || c === null || r[1] !== c[1]) return false;
  const link = (text: string, base: string) => (text === 'null' ? text : withoutOrigin(text.slice(1, -1), base));
  return link(r[2]!, bases.reference) === link(c[2]!, bases.candidate) && link(r[3]!, bases.reference) === link(c[3]!, bases.candidate)
    && reference.length - r[0].length === candidate.length - c[0].length && reference.endsWith(candidate.slice(c[0].length));
}

/** A different true/false of a user's `is_online` (a missing one, or another type, is a real difference). */
const isOnlineValue = (d: Difference) => d.kind === 'value' && /(^|\.)is_online$/.test(d.path) && typeof d.reference === 'boolean';
