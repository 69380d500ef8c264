// JSON with exact 64-bit integers. Ids go up to 2^63-1 (events.md), past JavaScript's 2^53, so event JSON is
// parsed with lossless-json (integers become bigint) and responses write ids as raw digits.
import { parse, isInteger } from 'lossless-json';

/**
 * Parses JSON keeping every integer exact: integers past 2^53 become bigint, all other numbers are numbers.
 * The native parser reads everything first (three times faster than lossless-json); only when it met a number
 * past the safe range, where digits may have been rounded, is the text read again exactly. Throws SyntaxError
 * on bad JSON.
 */
export function parseJsonExact(text: string): unknown {
  const value: unknown = JSON.parse(text);
  if (!hasUnsafeNumber(value)) return value;
  return parse(text, undefined, (literal: string) => {
    if (!isInteger(literal)) return Number(literal);
    const n = Number(literal);
    return Number.isSafeInteger(n) ? n : BigInt(literal);
  });
}

/** Whether a parsed value holds a number whose magnitude is past 2^53 − 1 (any integer literal there was rounded). */
function hasUnsafeNumber(value: unknown): boolean {
  if (typeof value === 'number') return Math.abs(value) > Number.MAX_SAFE_INTEGER;
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some(hasUnsafeNumber);
  for (const key in value) if (hasUnsafeNumber((value as Record<string, unknown>)[key])) return true;
  return false;
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
