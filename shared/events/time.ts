// RFC 3339 timestamps as events.md requires them: an offset is mandatory, microseconds are kept exactly.
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * Validates an RFC 3339 timestamp and returns it in a form PostgreSQL's timestamptz reads without loss,
 * or null if it is not a valid one. Digits past the microsecond are truncated: PostgreSQL keeps
 * microseconds, and the writer (Django) never sends more.
 */
export function normaliseEventTime(text: string): string | null {
  // The form upstream writes (UTC, "Z", up to six fraction digits) needs only its ranges checked.
  if (UTC_MICROS.test(text) && inRange(text)) return `${text.slice(0, -1)}+00:00`;
  const m = RFC3339.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac = '', offset = 'Z'] = m;
  const year = Number(y), month = Number(mo), day = Number(d);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
  if (offset.length === 6 && (Number(offset.slice(1, 3)) > 23 || Number(offset.slice(4)) > 59)) return null;
  const micros = frac === '' ? '' : `.${frac.slice(0, 6)}`;
  const zone = offset.toUpperCase() === 'Z' ? '+00:00' : offset;
  return `${y}-${mo}-${d}T${h}:${mi}:${s}${micros}${zone}`;
}

const UTC_MICROS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,6})?Z$/;
const two = (s: string, at: number) => (s.charCodeAt(at) - 48) * 10 + s.charCodeAt(at + 1) - 48;

/** The date and time fields of a string of UTC_MICROS's shape are in range. */
function inRange(t: string): boolean {
  const year = two(t, 0) * 100 + two(t, 2), month = two(t, 5), day = two(t, 8);
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)
    && two(t, 11) <= 23 && two(t, 14) <= 59 && two(t, 17) <= 59;
}

/**
 * Whether normalised event time `a` is later than `b` (normaliseEventTime's form). With the same offset, the
 * text decides: where one has a fraction and the other not, the other has its offset sign ('+' or '-'), which
 * sorts before '.', as a zero fraction would. Otherwise, by instant.
 */
export function laterTime(a: string, b: string): boolean {
  if (sameOffset(a, b)) return a > b;
  return Date.parse(a) > Date.parse(b);
}

function sameOffset(a: string, b: string): boolean {
  for (let i = 1; i <= 6; i++) if (a.charCodeAt(a.length - i) !== b.charCodeAt(b.length - i)) return false;
  return true;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Gregorian (proleptic, as PostgreSQL's), without allocating a Date: this runs once per event. */
function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] as number);
}

/**
 * Formats a timestamptz as PostgreSQL prints it with TimeZone=UTC ("2026-02-21 07:20:25.85+00") the way
 * DRF does: ISO 8601, six fraction digits or none when zero, "Z" for UTC.
 */
export function formatDrfTimestamp(pgText: string | null): string | null {
  if (pgText === null) return null;
  const m = /^(\d{4,}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?\+00$/.exec(pgText);
  if (!m) throw new Error(`unexpected timestamp from PostgreSQL (is the session TimeZone UTC?): ${pgText}`);
  const [, date, time, frac] = m;
  const fraction = frac === undefined ? '' : `.${frac.padEnd(6, '0')}`;
  return `${date}T${time}${fraction}Z`;
}
