// A search's terms (folded to upper case, ASCII without \x01) as the index answers them: the trigrams every
// match holds; the terms its text must still be tested for (all but those of three characters, which are
// their own trigram), of which the short ones (one or two characters) are found as a union of the trigrams
// that hold them when no term has a trigram (searchIndex.ts); and the terms as one key (searchResults.ts).
import { trigram } from './trigrams';

/**
 * `numeric[k]`: whether unproven[k] may be found in an id's text (digits and '-' only). `short`: the indexes
 * into unproven of the terms of one or two characters.
 */
export type SearchTerms = Readonly<{
  trigrams: readonly number[]; unproven: readonly Uint8Array[]; numeric: readonly boolean[];
  short: readonly number[]; key: string;
}>;

export function searchTerms(search: readonly string[]): SearchTerms {
  const trigrams = new Set<number>();
  for (const t of search) for (let i = 2; i < t.length; i++) trigrams.add(trigram(t.charCodeAt(i - 2), t.charCodeAt(i - 1), t.charCodeAt(i)));
  const unproven = search.filter((t) => t.length !== 3);
  const indexes = (test: (t: string) => boolean) => unproven.flatMap((t, k) => (test(t) ? [k] : []));
  return {
    trigrams: [...trigrams], unproven: unproven.map((t) => Buffer.from(t, 'latin1')), numeric: unproven.map((t) => /^[-0-9]+$/.test(t)),
    short: indexes((t) => t.length < 3), key: [...search].sort().join('\x00'),
  };
}
