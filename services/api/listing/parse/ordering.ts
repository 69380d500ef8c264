// DRF's OrderingFilter over an allow-list (api.md, "ordering"), plus the id tie-break that keeps pages apart.
import { lastValue, QueryPairs } from '../../queryString';

export const ORDERING_FIELDS = ['id', 'username', 'email', 'gender', 'last_login', 'created_at', 'updated_at'] as const;
export type OrderingField = (typeof ORDERING_FIELDS)[number];
export type OrderTerm = Readonly<{ field: OrderingField; descending: boolean }>;

const DEFAULT: readonly OrderTerm[] = [{ field: 'created_at', descending: true }];

export function parseOrdering(pairs: QueryPairs): OrderTerm[] {
  const raw = lastValue(pairs, 'ordering');
  const terms: OrderTerm[] = [];
  for (const part of (raw ?? '').split(',')) {
    const term = part.trim();
    const descending = term.startsWith('-');
    const field = descending ? term.slice(1) : term;
    if ((ORDERING_FIELDS as readonly string[]).includes(field)) terms.push({ field: field as OrderingField, descending });
  }
  const chosen = terms.length > 0 ? terms : [...DEFAULT];
  if (!chosen.some((t) => t.field === 'id')) chosen.push({ field: 'id', descending: (chosen[0] as OrderTerm).descending });
  return chosen;
}

/** ORDER BY text: field names come only from the allow-list above. */
export function orderBySql(terms: readonly OrderTerm[], alias: string): string {
  return terms.map((t) => `${alias}.${t.field} ${t.descending ? 'desc' : 'asc'}`).join(', ');
}
