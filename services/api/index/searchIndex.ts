// Every user's searchable text, and which users hold each trigram of it as a compressed bitmap (Roaring): what
// counts a search for a common term in milliseconds. The text is the read model's `search_text` column
// (PostgreSQL's upper() of the searched fields, joined by \x01), so a term is found here exactly when
// listing/parse/filters.ts's searchCondition finds it (load.ts checks that JavaScript and PostgreSQL fold
// ASCII alike; query.ts's `searchable` leaves other terms to PostgreSQL). A three-character term is its own
// trigram: its bitmap is the answer. A longer term's trigrams give candidates, each tested against its text; a
// shorter one has none, and every candidate of the other filters is tested. Texts are UTF-8 in pages, the
// id's field not held (searchTexts.ts), 32-bit offsets: past 2 GB of text (about 29 million users) the index
// says it is `full`.
import { RoaringBitmap32 } from 'roaring';
import { eachTrigram } from './trigrams';
import { TrigramBuild } from './trigramBuild';
import { SearchTerms, searchTerms } from './searchTerms';
import { FieldVisitor, IdText, SearchTexts } from './searchTexts';
import { Searchable, SearchResults } from './searchResults';
import { inTimedTurns, STEP } from './yieldEvery';

const MAX_BYTES = 2 ** 31 - 1;
/** Bitmaps joined between two looks at the clock: tens of microseconds each at a million users. */
const BITMAPS_STEP = 16;

/** Whether a trigram holds a term of one or two bytes. */
function trigramHolds(key: number, term: Uint8Array): boolean {
  const [a, b, c] = [key >>> 16, (key >>> 8) & 0xff, key & 0xff];
  const [x, y] = [term[0] as number, term[1]];
  return y === undefined ? a === x || b === x || c === x : (a === x && b === y) || (b === x && c === y);
}

export class SearchIndex implements Searchable {
  private readonly texts: SearchTexts;
  private lists: Map<number, RoaringBitmap32> | null = null;
  private readonly results = new SearchResults(this);

  /** `idText`: the slot's id as text (slots.ts), the text's first field. */
  constructor(idText: IdText, maxBytes = MAX_BYTES) {
    this.texts = new SearchTexts(idText, maxBytes);
  }

  /** Whether the texts outgrew their bound: searches cannot be answered here any more. */
  get full(): boolean {
    return this.texts.full;
  }

  /** Whether so much text was replaced that a load from scratch would free memory. */
  get wantsRebuild(): boolean {
    return this.texts.garbage > this.texts.used / 2;
  }

  /** Records a slot's text as the read model holds it ('' for none); after the build, its trigrams' bitmaps follow. */
  set(slot: number, text: string): void {
    const bytes = Buffer.from(text);
    this.setBytes(slot, bytes, 0, bytes.length);
  }

  /** `set`, of bytes [from, from + length) (the load's COPY buffer: no string made). */
  setBytes(slot: number, bytes: Uint8Array, from: number, length: number): void {
    if (this.lists === null) {
      this.texts.set(slot, bytes, from, length);
      return;
    }
    if (this.texts.full || this.texts.same(slot, bytes, from, length)) return;
    const before = this.trigramsOf(slot);
    this.texts.set(slot, bytes, from, length);
    this.moveTrigrams(slot, before, this.trigramsOf(slot));
    this.results.textWritten(slot);
  }

  private trigramsOf(slot: number): Set<number> {
    const keys = new Set<number>();
    this.texts.fields(slot, (bytes, from, to) => eachTrigram(bytes, from, to, (key) => keys.add(key)));
    return keys;
  }

  private moveTrigrams(slot: number, before: ReadonlySet<number>, after: ReadonlySet<number>): void {
    const lists = this.lists as Map<number, RoaringBitmap32>;
    for (const key of before) if (!after.has(key)) lists.get(key)?.remove(slot);
    for (const key of after) {
      if (before.has(key)) continue;
      let list = lists.get(key);
      if (list === undefined) lists.set(key, (list = new RoaringBitmap32()));
      list.add(slot);
    }
  }

  reserve(users: number): void {
    this.texts.reserve(users);
  }

  /** Readies the build of the `size` users' bitmaps, every text set: a large one hands a share to its thread now (trigramBuild.ts). */
  prepare(size: number, script?: string | null): TrigramBuild | null {
    const texts = { fieldsOf: (slot: number, visit: FieldVisitor) => this.texts.fields(slot, visit), chunk: (first: number, end: number) => this.texts.chunk(first, end) };
    return this.texts.full ? null : new TrigramBuild(size, texts, script);
  }

  /** Builds the trigram bitmaps of the texts set so far (trigrams.ts), as `prepare` readied them. */
  async build(size: number, prepared = this.prepare(size)): Promise<void> {
    if (prepared !== null) this.lists = await prepared.build();
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

  /**
   * The candidates of the terms (a new bitmap; null: every user): those holding every trigram when a term
   * has one (the short terms then tested on them: bounded by those candidates); else, every term being of one
   * or two characters, exactly the users holding them all, made in turns of the event loop.
   */
  async narrowed(terms: SearchTerms): Promise<RoaringBitmap32 | null> {
    if (terms.trigrams.length > 0) return this.candidates(terms);
    let result: RoaringBitmap32 | null = null;
    for (const k of terms.short) {
      if (result?.size === 0) break;
      const users = await this.holdingShort(terms.unproven[k] as Uint8Array, terms.numeric[k] as boolean);
      result = result === null ? users : result.andInPlace(users);
    }
    return result;
  }

  /**
   * The users whose text holds a term of one or two characters: in a field of three or more, a trigram holds
   * it, so the union of those trigrams' bitmaps; in a shorter field, none does: the users with one, tested.
   * A measured choice (docs/decisions.md): no bitmap per character or pair of characters is held.
   */
  private async holdingShort(term: Uint8Array, numeric: boolean): Promise<RoaringBitmap32> {
    const lists = [...(this.lists ?? [])].filter(([key]) => trigramHolds(key, term)).map(([, bitmap]) => bitmap);
    const users = new RoaringBitmap32();
    await inTimedTurns(lists.length, (from, to) => {
      for (let i = from; i < to; i++) users.orInPlace(lists[i] as RoaringBitmap32);
    }, BITMAPS_STEP);
    const short = this.texts.short.clone();
    const page = new Uint32Array(STEP);
    await inTimedTurns(short.size, (from, to) => {
      for (const slot of short.rangeUint32Array(from, to - from, page)) if (this.texts.holds(slot, term, numeric)) users.add(slot);
    });
    return users;
  }

  /** Whether the slot's text holds every unproven term (the candidates hold the others). */
  holds(slot: number, terms: SearchTerms): boolean {
    if (!this.texts.has(slot)) return false;
    for (const [k, needle] of terms.unproven.entries()) if (!this.texts.holds(slot, needle, terms.numeric[k] as boolean)) return false;
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
    return this.texts.slots;
  }

  /** Bytes held: texts and their offsets, trigram bitmaps (counted by Roaring's serialised size, close to what it holds). */
  memory(): Record<string, number> {
    let lists = 0;
    for (const b of this.lists?.values() ?? []) lists += b.getSerializationSizeInBytes('croaring') + 48;
    return { 'search texts': this.texts.bytes, 'trigram bitmaps': lists, 'searches kept': this.results.bytes };
  }
}
