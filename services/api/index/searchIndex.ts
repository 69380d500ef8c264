// Every user's searchable text, and which users hold each trigram of it as a compressed bitmap (Roaring): what
// counts a search for a common term in milliseconds. The text is the read model's `search_text` column
// (PostgreSQL's upper() of the searched fields, joined by \x01), so a term is found here exactly when
// listing/parse/filters.ts's searchCondition finds it (load.ts checks that JavaScript and PostgreSQL fold
// ASCII alike; query.ts's `searchable` leaves other terms to PostgreSQL). A three-character term is its own
// trigram: its bitmap is the answer. A longer term's trigrams give candidates, each tested against its text; a
// shorter one has none, and every candidate of the other filters is tested. Texts are UTF-8 in pages
// (textPages.ts), 32-bit offsets: past 2 GB of text (about 29 million users) the index says it is `full`.
import { grown } from './growable';
import { RoaringBitmap32 } from 'roaring';
import { buildTrigrams, eachTrigram } from './trigrams';
import { SearchTerms, searchTerms } from './searchTerms';
import { TextPages } from './textPages';
import { Searchable, SearchResults } from './searchResults';

const MAX_BYTES = 2 ** 31 - 1;


export class SearchIndex implements Searchable {
  private readonly texts = new TextPages();
  /** Where each slot's text starts (textPages.ts), and its length (0: no user, or a deleted one). */
  private from = new Int32Array(0);
  private length = new Int32Array(0);
  private garbage = 0;
  private lists: Map<number, RoaringBitmap32> | null = null;
  private readonly results = new SearchResults(this);
  /** Whether the texts outgrew `maxBytes`: searches cannot be answered here any more. */
  full = false;

  constructor(private readonly maxBytes = MAX_BYTES) {}

  /** Whether so much text was replaced that a load from scratch would free memory. */
  get wantsRebuild(): boolean {
    return this.garbage > this.texts.used / 2;
  }

  /** Records a slot's text ('' for none; UTF-8 bytes as the load reads them); after the build, its trigrams' bitmaps follow. */
  set(slot: number, text: string | Uint8Array): void {
    if (this.full || this.texts.used + (typeof text === 'string' ? text.length * 3 : text.length) > this.maxBytes) {
      this.full = true;
      return;
    }
    if (slot >= this.from.length) this.grow(Math.max(slot + 1, this.from.length * 2));
    const was = this.textOf(slot);
    if (was.length === (typeof text === 'string' ? Buffer.byteLength(text) : text.length) && was.equals(typeof text === 'string' ? Buffer.from(text) : text)) return;
    const { at, length } = this.texts.append(text);
    this.garbage += was.length;
    this.from[slot] = at;
    this.length[slot] = length;
    if (this.lists === null) return;
    this.moveTrigrams(slot, was, this.texts.view(at, length));
    this.results.textWritten(slot);
  }

  /** A slot's text (a view). */
  private textOf(slot: number): Buffer {
    return slot >= this.from.length ? this.texts.view(0, 0) : this.texts.view(this.from[slot] as number, this.length[slot] as number);
  }

  private moveTrigrams(slot: number, was: Buffer, now: Buffer): void {
    const lists = this.lists as Map<number, RoaringBitmap32>;
    const before = new Set<number>();
    const after = new Set<number>();
    eachTrigram(was, 0, was.length, (key) => before.add(key));
    eachTrigram(now, 0, now.length, (key) => after.add(key));
    for (const key of before) if (!after.has(key)) lists.get(key)?.remove(slot);
    for (const key of after) {
      if (before.has(key)) continue;
      let list = lists.get(key);
      if (list === undefined) lists.set(key, (list = new RoaringBitmap32()));
      list.add(slot);
    }
  }

  reserve(users: number): void {
    if (users > this.from.length) this.grow(users);
  }

  private grow(capacity: number): void {
    [this.from, this.length] = [grown(this.from, capacity), grown(this.length, capacity)];
  }

  /** Builds the trigram bitmaps of the texts set so far (trigrams.ts). */
  async build(size: number): Promise<void> {
    if (this.full) return;
    this.lists = await buildTrigrams(size, (slot) => this.textOf(slot));
  }

  /** The terms (folded, ASCII without \x01) as this index tests them. */
  terms(search: readonly string[]): SearchTerms {
    return searchTerms(search);
  }

  /** The users holding every trigram of the terms (a new bitmap), or null when no term has one (every user is a candidate). */
  candidates(terms: SearchTerms): RoaringBitmap32 | null {
    if (terms.trigrams.length === 0) return null;
    const lists = terms.trigrams.map((key) => this.lists?.get(key) ?? new RoaringBitmap32());
    lists.sort((a, b) => a.size - b.size);
    const result = (lists[0] as RoaringBitmap32).clone();
    for (let i = 1; i < lists.length && result.size > 0; i++) result.andInPlace(lists[i] as RoaringBitmap32);
    return result;
  }

  /** Whether the slot's text holds every unproven term (the candidates hold the others). */
  holds(slot: number, terms: SearchTerms): boolean {
    if (slot >= this.from.length) return false;
    const [at, length] = [this.from[slot] as number, this.length[slot] as number];
    for (const needle of terms.unproven) if (!this.texts.contains(at, length, needle)) return false;
    return true;
  }

  /** Whether the slot's text holds every term (its trigrams as the bitmaps say, the others tested). */
  holdsAll(slot: number, terms: SearchTerms): boolean {
    return terms.trigrams.every((key) => this.lists?.get(key)?.has(slot) === true) && this.holds(slot, terms);
  }

  /** The users whose text holds every term, exactly (searchResults.ts: kept for the searches asked last). */
  exact(terms: SearchTerms): Promise<RoaringBitmap32> {
    return this.results.exact(terms);
  }

  /** Slots that may hold text: [0, slots). */
  get slots(): number {
    return this.from.length;
  }

  /** Bytes held: texts and their offsets, trigram bitmaps (counted by Roaring's serialised size, close to what it holds). */
  memory(): Record<string, number> {
    let lists = 0;
    for (const b of this.lists?.values() ?? []) lists += b.getSerializationSizeInBytes('croaring') + 48;
    return { 'search texts': this.texts.bytes + this.from.byteLength * 2, 'trigram bitmaps': lists, 'searches kept': this.results.bytes };
  }
}
