// JSON with exact 64-bit integers. Ids go up to 2^63-1 (events.md), past JavaScript's 2^53, so event JSON is
// parsed with lossless-json (integers become bigint) and responses write ids as raw digits.
import { parse, isInteger } from 'lossless-json';

/** Parses JSON; integer literals become bigint, other numbers become number. Throws SyntaxError on bad JSON. */
export function parseJsonExact(text: string): unknown {
  return parse(text, undefined, (value: string) => (isInteger(value) ? BigInt(value) : Number(value)));
}

/** A JSON value already serialised: written into a response as is (ids as decimal digits). */
export class RawJson {
  constructor(readonly text: string) {}
}

/**
 * Serialises like DRF's JSONRenderer (compact separators, UTF-8 unescaped, U+2028/U+2029 escaped),
 * keeping each object's key order and writing RawJson values verbatim.
 */
export function stringifyDrf(value: unknown): string {
  return write(value).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function write(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(write).join(',')}]`;
  if (typeof value === 'object') {
    const parts = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${JSON.stringify(k)}:${write(v)}`);
    return `{${parts.join(',')}}`;
  }
  if (typeof value === 'bigint') return value.toString();
  return JSON.stringify(value);
}
