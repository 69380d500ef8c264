// JSON with exact 64-bit integers. Ids go up to 2^63-1 (events.md), past JavaScript's 2^53, so event JSON is
// parsed with lossless-json (integers become bigint) and responses write ids as raw digits.
import { parse, isInteger } from 'lossless-json';

const LONG_DIGIT_RUN = /\d{16}/;

/**
 * Parses JSON keeping every integer exact: integers past 2^53 become bigint, all other numbers are numbers.
 * Only a literal with 16 or more digits can pass 2^53, so text without such a run takes the fast native
 * parser (three times faster than lossless-json). Throws SyntaxError on bad JSON.
 */
export function parseJsonExact(text: string): unknown {
  if (!LONG_DIGIT_RUN.test(text)) return JSON.parse(text);
  return parse(text, undefined, (value: string) => {
    if (!isInteger(value)) return Number(value);
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : BigInt(value);
  });
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
