// The query string as Django reads it (QueryDict / urllib.parse.parse_qsl with keep_blank_values) and writes
// it back (urllib.parse.urlencode with quote_plus), so pagination links come out byte for byte like DRF's.

export type QueryPairs = ReadonlyArray<readonly [string, string]>;

export function parseQueryString(raw: string): QueryPairs {
  const pairs: Array<[string, string]> = [];
  for (const field of raw.split('&')) {
    if (field === '') continue;
    const eq = field.indexOf('=');
    const [k, v] = eq === -1 ? [field, ''] : [field.slice(0, eq), field.slice(eq + 1)];
    pairs.push([unquotePlus(k), unquotePlus(v)]);
  }
  return pairs;
}

/** Each pairs' last value by key, made at the first lookup: a request asks some thirty names of the same pairs. */
const LAST_VALUES = new WeakMap<QueryPairs, ReadonlyMap<string, string>>();

/** DRF's request.query_params.get(): the last value given; an empty value counts as not given (api.md). */
export function lastValue(pairs: QueryPairs, name: string): string | undefined {
  let last = LAST_VALUES.get(pairs);
  if (last === undefined) LAST_VALUES.set(pairs, (last = new Map(pairs)));
  const value = last.get(name);
  return value === '' ? undefined : value;
}

/** DRF's replace_query_param / remove_query_param: set or drop one key, then sort the keys. */
export function withParam(pairs: QueryPairs, name: string, value: string | null): string {
  return replacing(pairs, name)(value);
}

/**
 * withParam for several values of one key: every other key grouped, sorted and encoded once (the page links
 * write two), each value appended to its key's list in place. Copying a key's values at each repeat made
 * `?a&a&a…` quadratic (issue 27).
 */
export function replacing(pairs: QueryPairs, name: string): (value: string | null) => string {
  const grouped = new Map<string, string[]>();
  for (const [k, v] of pairs) {
    if (k === name) continue;
    const values = grouped.get(k);
    if (values === undefined) grouped.set(k, [v]);
    else values.push(v);
  }
  const encode = (keys: string[]) => {
    const fields: string[] = [];
    for (const k of keys) {
      const key = quotePlus(k); // once per key, not per value: `?a&a&a…` repeats one key 16,000 times
      for (const v of grouped.get(k) as string[]) fields.push(`${key}=${v === '' ? '' : quotePlus(v)}`);
    }
    return fields.join('&');
  };
  const keys = [...grouped.keys()].sort(comparePython);
  const at = keys.findIndex((k) => comparePython(k, name) > 0);
  const before = encode(at === -1 ? keys : keys.slice(0, at));
  const after = at === -1 ? '' : encode(keys.slice(at));
  return (value) => [before, value === null ? '' : `${quotePlus(name)}=${quotePlus(value)}`, after].filter((part) => part !== '').join('&');
}

/**
 * Python compares str by code point; JavaScript's default sort compares UTF-16 units. They differ only where
 * the first differing unit is a surrogate: compared there by code point (no copy of either string).
 */
function comparePython(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a.charCodeAt(i) !== b.charCodeAt(i)) return (a.codePointAt(i) as number) - (b.codePointAt(i) as number);
  }
  return a.length - b.length;
}

const UTF8 = new TextDecoder('utf-8'); // invalid UTF-8 → U+FFFD, as Python's 'replace'
const PLUS = 0x2b;
const PERCENT = 0x25;

/**
 * urllib.parse.unquote_plus, on the UTF-8 bytes in one pass (ASCII bytes never occur inside a multi-byte
 * character, so + and %XX are found bytewise): linear in the text, whatever it holds (issue 27).
 */
function unquotePlus(s: string): string {
  // Most keys and values hold nothing to decode: no byte pass (it was most of a request's parse).
  if (!s.includes('%') && !s.includes('+')) return s.isWellFormed() ? s : s.toWellFormed();
  const bytes = Buffer.from(s, 'utf8');
  let length = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    const escaped = b === PERCENT && i + 2 < bytes.length ? hexByte(bytes[i + 1] as number, bytes[i + 2] as number) : -1;
    if (escaped >= 0) {
      bytes[length++] = escaped;
      i += 2;
    } else bytes[length++] = b === PLUS ? 0x20 : b;
  }
  return UTF8.decode(bytes.subarray(0, length));
}

function hexByte(high: number, low: number): number {
  const h = hexDigit(high), l = hexDigit(low);
  return h < 0 || l < 0 ? -1 : h * 16 + l;
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

const UNRESERVED = /^[A-Za-z0-9_.~-]*$/;
/** What quote_plus writes for each byte: itself when always safe, + for a space, %XX otherwise. */
const QUOTED = Array.from({ length: 256 }, (_, byte) => {
  const c = String.fromCharCode(byte);
  if (/[A-Za-z0-9_.~-]/.test(c)) return c;
  return c === ' ' ? '+' : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
});

function quotePlus(s: string): string {
  if (UNRESERVED.test(s)) return s;
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) out += QUOTED[byte] as string;
  return out;
}
