// Readers of typed query parameter values (api.md, "Query parameters"), each returning the value or the
// DRF/django-filter message for a bad one. Pure functions.
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = (message: string): Parsed<never> => ({ ok: false, message });

export const MESSAGES = {
  wholeNumber: 'Enter a whole number.',
  date: 'Enter a valid date.',
  boolean: 'Select a valid choice.',
  choice: (given: string) => `Select a valid choice. ${given} is not one of the available choices.`,
} as const;

export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;

/** ASCII digits with an optional sign and surrounding spaces, exact at any size. */
export function parseWholeNumber(text: string): Parsed<bigint> {
  if (!/^\s*[+-]?[0-9]+\s*$/.test(text)) return bad(MESSAGES.wholeNumber);
  return ok(BigInt(text.trim()));
}

export function parseBoolean(text: string): Parsed<boolean> {
  const t = text.toLowerCase();
  if (t === 'true' || t === '1') return ok(true);
  if (t === 'false' || t === '0') return ok(false);
  return bad(MESSAGES.boolean);
}

/** YYYY-MM-DD, a real calendar date. */
export function parseDate(text: string): Parsed<string> {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return bad(MESSAGES.date);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return bad(MESSAGES.date);
  return ok(text);
}

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] as number;
}

export function parseChoice(choices: readonly string[]) {
  return (text: string): Parsed<string> => {
    const lower = text.toLowerCase();
    return choices.includes(lower) ? ok(lower) : bad(MESSAGES.choice(text));
  };
}

/** Comma-separated whole numbers; empty items are ignored. */
export function parseWholeNumberList(text: string): Parsed<bigint[]> {
  const items = text.split(',').filter((i) => i.trim() !== '');
  const values: bigint[] = [];
  for (const item of items) {
    const n = parseWholeNumber(item);
    if (!n.ok) return n;
    values.push(n.value);
  }
  return ok(values);
}

// Python's str.split() whitespace, which DRF's SearchFilter splits terms on.
const PY_WHITESPACE = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

/** DRF 3.14 SearchFilter.get_search_terms: NULs dropped, commas as spaces, split on whitespace. */
export function searchTerms(text: string): string[] {
  return text.replace(/\x00/g, '').replace(/,/g, ' ').split(PY_WHITESPACE).filter((t) => t !== '');
}
