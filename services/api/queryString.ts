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

/** DRF's request.query_params.get(): the last value given; an empty value counts as not given (api.md). */
export function lastValue(pairs: QueryPairs, name: string): string | undefined {
  let value: string | undefined;
  for (const [k, v] of pairs) if (k === name) value = v;
  return value === '' ? undefined : value;
}

/** DRF's replace_query_param / remove_query_param: set or drop one key, then sort the keys. */
export function withParam(pairs: QueryPairs, name: string, value: string | null): string {
  const grouped = new Map<string, string[]>();
  for (const [k, v] of pairs) grouped.set(k, [...(grouped.get(k) ?? []), v]);
  if (value === null) grouped.delete(name);
  else grouped.set(name, [value]);
  const keys = [...grouped.keys()].sort(comparePython);
  return keys.flatMap((k) => (grouped.get(k) as string[]).map((v) => `${quotePlus(k)}=${quotePlus(v)}`)).join('&');
}

/** Python compares str by code point; JavaScript's default sort compares UTF-16 units. */
function comparePython(a: string, b: string): number {
  const x = [...a], y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i] as string).codePointAt(0)! - (y[i] as string).codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

function unquotePlus(s: string): string {
  // Most keys and values hold nothing to decode: skip the byte-by-byte pass (it is most of a request's parse).
  if (!s.includes('%') && !s.includes('+')) return s.isWellFormed() ? s : s.toWellFormed();
  const bytes: number[] = [];
  const text = s.replace(/\+/g, ' ');
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '%' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      const cp = text.codePointAt(i) as number;
      if (cp > 0xffff) i++;
      bytes.push(...Buffer.from(String.fromCodePoint(cp), 'utf8'));
    }
  }
  return new TextDecoder('utf-8').decode(Uint8Array.from(bytes)); // invalid UTF-8 → U+FFFD, as Python's 'replace'
}

const UNRESERVED = /^[A-Za-z0-9_.~-]*$/;

function quotePlus(s: string): string {
  if (UNRESERVED.test(s)) return s;
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9_.~-]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
