// The values generated requests use, drawn from what the reference itself answers (its first page of each
// endpoint): real ids, group ids, words of names and emails, calendar dates, so that filters match something.
import { isLosslessNumber } from 'lossless-json';
import { parseLossless } from './jsonDiff';

export type Samples = { ids: string[]; groupIds: string[]; words: string[]; dates: string[] };

export const emptySamples = (): Samples => ({ ids: [], groupIds: [], words: [], dates: [] });

const WORD_FIELDS = ['username', 'email', 'first_name', 'last_name', 'mobile_number'];
const DATE_FIELDS = ['created_at', 'updated_at', 'last_login'];

/** Adds what one list page shows to `into` (each value once); a body that is not a page adds nothing. */
export function addPageSamples(into: Samples, body: string): void {
  const page = parseLossless(body) as { results?: unknown } | undefined;
  if (typeof page !== 'object' || page === null || !Array.isArray(page.results)) return;
  const add = (list: string[], value: string) => void (list.includes(value) || list.push(value));
  for (const row of page.results as Array<Record<string, unknown>>) {
    if (isLosslessNumber(row.id)) add(into.ids, row.id.value);
    for (const f of WORD_FIELDS) if (typeof row[f] === 'string' && row[f] !== '') add(into.words, row[f] as string);
    for (const f of DATE_FIELDS) if (typeof row[f] === 'string' && /^\d{4}-\d{2}-\d{2}/.test(row[f] as string)) add(into.dates, (row[f] as string).slice(0, 10));
    const groups = Array.isArray(row.groups_data) ? (row.groups_data as Array<Record<string, unknown>>) : [];
    for (const g of groups) if (isLosslessNumber(g.id)) add(into.groupIds, g.id.value);
  }
}
