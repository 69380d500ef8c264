// `--generate N`: requests over every parameter of both endpoints, read from the OpenAPI document rollcall serves
// (/api/schema, made from the filter table that validates requests), with values taken from the reference's own
// answers (samples.ts). Only readable values: api.md deviates from DRF on purpose for unreadable ones.
import { rng } from '../../shared/random';
import { Samples } from './samples';

type Schema = { type?: string; enum?: unknown[]; format?: string; pattern?: string; default?: unknown };
export type Parameter = { name: string; schema: Schema; description?: string };
export type Endpoint = { path: string; parameters: Parameter[] };

/** The GET operations of an OpenAPI document and their query parameters. */
export function endpointsOf(doc: unknown): Endpoint[] {
  const paths = (doc as { paths?: Record<string, { get?: { parameters?: Parameter[] } }> }).paths ?? {};
  return Object.entries(paths)
    .filter(([, item]) => item.get !== undefined)
    .map(([path, item]) => ({ path, parameters: (item.get!.parameters ?? []).filter((p) => (p as { in?: string }).in === 'query') }));
}

/**
 * `count` targets, endpoints taken in turn; the k-th request of an endpoint leads with its k-th parameter (so
 * every parameter is asked within the first endpoints × parameters requests) and adds up to two others.
 */
export function generateTargets(endpoints: Endpoint[], samples: Samples, count: number, seed: number): string[] {
  const random = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const usable = endpoints.filter((e) => e.parameters.length > 0);
  if (usable.length === 0) throw new Error('the OpenAPI document lists no query parameters');
  const targets: string[] = [];
  for (let i = 0; i < count; i++) {
    const endpoint = usable[i % usable.length]!;
    const lead = endpoint.parameters[Math.floor(i / usable.length) % endpoint.parameters.length]!;
    const chosen = new Map([[lead.name, lead]]);
    for (let extra = Math.floor(random() * 3); extra > 0; extra--) {
      const p = pick(endpoint.parameters);
      chosen.set(p.name, p);
    }
    const query = new URLSearchParams([...chosen.values()].map((p): [string, string] => [p.name, valueFor(p, samples, pick, random)]));
    targets.push(`${endpoint.path}?${query}`);
  }
  return targets;
}

type Pick = <T>(xs: readonly T[]) => T;

function valueFor(p: Parameter, s: Samples, pick: Pick, random: () => number): string {
  const or = (xs: string[], fallback: string) => (xs.length > 0 ? pick(xs) : fallback);
  if (p.name === 'limit') return String(pick([1, 2, 3, 5, 10, 25, 100]));
  if (p.name === 'offset') return String(pick([0, 1, 2, 5, 10, 20]));
  if (p.name === 'ordering') return orderingValue(p, pick, random);
  if (p.name === 'search') return searchValue(s, pick, random);
  if (p.schema.enum !== undefined) return String(pick(p.schema.enum.filter((v) => v !== null)));
  if (p.schema.format === 'date') return or(s.dates, '2026-01-01');
  const groupish = p.name.startsWith('group');
  const ids = groupish && s.groupIds.length > 0 ? s.groupIds : s.ids;
  if (p.name.endsWith('_in')) return Array.from({ length: 1 + Math.floor(random() * 3) }, () => or(ids, '1')).join(',');
  if (p.schema.pattern !== undefined || p.schema.type === 'integer') return or(ids, '1');
  return or(s.words, 'a');
}

/** One or two of the fields the document names for `ordering` (its description lists them after the colon). */
function orderingValue(p: Parameter, pick: Pick, random: () => number): string {
  const listed = (p.description ?? '').split(':').pop()!.split(',').map((f) => f.trim()).filter((f) => /^[a-z_]+$/.test(f));
  const fields = listed.length > 0 ? listed : [String(p.schema.default ?? '-created_at').replace(/^-/, '')];
  const one = () => `${random() < 0.5 ? '-' : ''}${pick(fields)}`;
  return random() < 0.3 ? `${one()},${one()}` : one();
}

/** A whole word, a piece of one, or two words: searches that find one row, several, or none. */
function searchValue(s: Samples, pick: Pick, random: () => number): string {
  const word = s.words.length > 0 ? pick(s.words) : 'a';
  const roll = random();
  if (roll < 0.4) return word;
  if (roll < 0.8) {
    const start = Math.floor(random() * Math.max(1, word.length - 2));
    return word.slice(start, start + 3);
  }
  return `${word} ${s.words.length > 0 ? pick(s.words) : 'b'}`;
}
