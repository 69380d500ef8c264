// Two JSON bodies compared as a client reads them: every value, the order of each object's keys, and how each
// number is written (1 and 1.0 differ; integers past 2^53 stay exact), read with lossless-json.
import { isInteger, isLosslessNumber, LosslessNumber, parse } from 'lossless-json';

/**
 * value: another value; type: another JSON type; number: the same number written otherwise (1 vs 1.0);
 * key-order: the same keys in another order; missing/extra: a key or item only the reference/candidate has;
 * text: bodies that are not both JSON, compared as text.
 */
export type DiffKind = 'value' | 'type' | 'number' | 'key-order' | 'missing' | 'extra' | 'text';
/** Values as lossless-json parsed them (absent on the side that lacks them). */
export type Difference = { path: string; kind: DiffKind; reference?: unknown; candidate?: unknown };

/** JSON text parsed with every number kept as written; undefined when it is not JSON. */
export function parseLossless(text: string): unknown {
  try {
    return parse(text);
  } catch (err) {
    if (err instanceof SyntaxError) return undefined;
    throw err;
  }
}

const TEXT_SHOWN = 200;
const shown = (text: string) => (text.length > TEXT_SHOWN ? `${text.slice(0, TEXT_SHOWN)}…` : text);

/** Two bodies' differences; bodies that are not both JSON are compared as text. */
export function diffBodies(reference: string, candidate: string): Difference[] {
  const r = parseLossless(reference);
  const c = parseLossless(candidate);
  if (r === undefined || c === undefined) {
    return reference === candidate ? [] : [{ path: '$', kind: 'text', reference: shown(reference), candidate: shown(candidate) }];
  }
  return diffJson(r, c);
}

/** The differences of two parsed values, in the reference's order, each with its path from `$`. */
export function diffJson(reference: unknown, candidate: unknown, path = '$', out: Difference[] = []): Difference[] {
  const kind = jsonType(reference);
  if (kind !== jsonType(candidate)) out.push({ path, kind: 'type', reference, candidate });
  else if (kind === 'number') diffNumbers(reference as LosslessNumber, candidate as LosslessNumber, path, out);
  else if (kind === 'array') diffArrays(reference as unknown[], candidate as unknown[], path, out);
  else if (kind === 'object') diffObjects(reference as Record<string, unknown>, candidate as Record<string, unknown>, path, out);
  else if (reference !== candidate) out.push({ path, kind: 'value', reference, candidate });
  return out;
}

function diffNumbers(reference: LosslessNumber, candidate: LosslessNumber, path: string, out: Difference[]): void {
  if (reference.value === candidate.value) return;
  out.push({ path, kind: sameNumber(reference.value, candidate.value) ? 'number' : 'value', reference, candidate });
}

/** Whether two number literals are the same number: integers compared exactly, others as doubles. */
function sameNumber(a: string, b: string): boolean {
  if (isInteger(a) && isInteger(b)) return BigInt(a) === BigInt(b);
  return Number(a) === Number(b);
}

function diffArrays(reference: unknown[], candidate: unknown[], path: string, out: Difference[]): void {
  for (let i = 0; i < Math.max(reference.length, candidate.length); i++) {
    const at = `${path}[${i}]`;
    if (i >= candidate.length) out.push({ path: at, kind: 'missing', reference: reference[i] });
    else if (i >= reference.length) out.push({ path: at, kind: 'extra', candidate: candidate[i] });
    else diffJson(reference[i], candidate[i], at, out);
  }
}

function diffObjects(reference: Record<string, unknown>, candidate: Record<string, unknown>, path: string, out: Difference[]): void {
  const referenceKeys = Object.keys(reference);
  const candidateKeys = Object.keys(candidate);
  const inCandidate = new Set(candidateKeys);
  const inReference = new Set(referenceKeys);
  const shared = referenceKeys.filter((k) => inCandidate.has(k));
  const sharedInCandidateOrder = candidateKeys.filter((k) => inReference.has(k));
  if (shared.some((k, i) => sharedInCandidateOrder[i] !== k)) out.push({ path, kind: 'key-order', reference: referenceKeys, candidate: candidateKeys });
  for (const key of referenceKeys) {
    const at = memberPath(path, key);
    if (!inCandidate.has(key)) out.push({ path: at, kind: 'missing', reference: reference[key] });
    else diffJson(reference[key], candidate[key], at, out);
  }
  for (const key of candidateKeys) if (!inReference.has(key)) out.push({ path: memberPath(path, key), kind: 'extra', candidate: candidate[key] });
}

const memberPath = (path: string, key: string) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`);

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (isLosslessNumber(value)) return 'number';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
