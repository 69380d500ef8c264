// Every user's searchable text, and which users hold each trigram of it as a compressed bitmap (Roaring): what
// counts a search for a common term in milliseconds. The text is the read model's `search_text` column
// (PostgreSQL's upper() of the searched fields, joined by \x01), so a term is found here exactly when
// listing/parse/filters.ts's searchCondition finds it (load.ts checks that JavaScript and PostgreSQL fold
// ASCII alike; query.ts's `searchable` leaves other terms to PostgreSQL). A three-character term is its own
// trigram: its bitmap is the answer. A longer term's trigrams give candidates, each tested against its text; a
// shorter one has none, and every candidate of the other filters is tested. Texts are UTF-8 in one buffer by
// slot, 32-bit offsets: past 2 GB of text (about 29 million users) the index says it is `full`.
import { RoaringBitmap32 } from 'roaring';
import { buildTrigrams, eachTrigram, trigram } from './trigrams';

const MAX_BYTES = 2 ** 31 - 1;

/** A search as this index answers it: the trigrams every match holds, and the terms its text must still be tested for. */
export type SearchTerms = Readonly<{ trigrams: readonly number[]; unproven: readonly Uint8Array[] }>;

export class SearchIndex {
  private bytes = Buffer.alloc(1 << 20);
  private used = 0;
  /** Where each slot's text starts in `bytes`, and its length (0: no user, or a deleted one). */
  private from = new Int32Array(0);
  private length = new Int32Array(0);
  private garbage = 0;
  private lists: Map<number, RoaringBitmap32> | null = null;
  /** Whether the texts outgrew `maxBytes`: searches cannot be answered here any more. */
  full = false;

  constructor(private readonly maxBytes = MAX_BYTES) {}

  /** Whether so much text was replaced that a load from scratch would free memory. */
  get wantsRebuild(): boolean {
    return this.garbage > this.used / 2;
  }

  /** Records a slot's text ('' for none; UTF-8 bytes as the load reads them); after the build, its trigrams' bitmaps follow. */
  set(slot: number, text: string | Uint8Array): void {
    const most = typeof text === 'string' ? text.length * 3 : text.length;
    if (this.full || this.used + most > this.maxBytes) {
      this.full = true;
      return;
    }
    if (slot >= this.from.length) this.grow(Math.max(slot + 1, this.from.length * 2));
    if (this.used + most > this.bytes.length) this.growBytes(this.used + most);
    const at = this.used;
    const written = typeof text === 'string' ? this.bytes.write(text, at) : (this.bytes.set(text, at), text.length);
    const [was, wasLength] = [this.from[slot] as number, this.length[slot] as number];
    if (written === wasLength && this.bytes.compare(this.bytes, was, was + wasLength, at, at + written) === 0) return;
    if (this.lists !== null) this.moveTrigrams(slot, was, wasLength, at, written);
    this.used += written;
    this.garbage += wasLength;
    this.from[slot] = at;
    this.length[slot] = written;
  }

  private moveTrigrams(slot: number, was: number, wasLength: number, at: number, written: number): void {
    const lists = this.lists as Map<number, RoaringBitmap32>;
    const before = new Set<number>();
    const after = new Set<number>();
    eachTrigram(this.bytes, was, was + wasLength, (key) => before.add(key));
    eachTrigram(this.bytes, at, at + written, (key) => after.add(key));
    for (const key of before) if (!after.has(key)) lists.get(key)?.remove(slot);
    for (const key of after) {
      if (before.has(key)) continue;
      let list = lists.get(key);
      if (list === undefined) lists.set(key, (list = new RoaringBitmap32()));
      list.add(slot);
    }
  }

  private grow(capacity: number): void {
    const [from, length] = [new Int32Array(capacity), new Int32Array(capacity)];
    from.set(this.from);
    length.set(this.length);
    [this.from, this.length] = [from, length];
  }

  private growBytes(needed: number): void {
    const grown = Buffer.alloc(Math.min(this.maxBytes, Math.max(needed, this.bytes.length * 2)));
    this.bytes.copy(grown, 0, 0, this.used);
    this.bytes = grown;
  }

  /** Builds the trigram bitmaps of the texts set so far (trigrams.ts); the buffer is cut to its size, a tenth more for changes. */
  async build(size: number): Promise<void> {
    if (this.full) return;
    const fitted = Buffer.alloc(Math.min(this.maxBytes, Math.ceil(this.used * 1.1)));
    this.bytes.copy(fitted, 0, 0, this.used);
    this.bytes = fitted;
    this.lists = await buildTrigrams(this.bytes, this.from.subarray(0, size), this.length.subarray(0, size));
  }

  /** The terms (folded, ASCII without \x01) as this index tests them. */
  terms(search: readonly string[]): SearchTerms {
    const trigrams = new Set<number>();
    for (const t of search) for (let i = 2; i < t.length; i++) trigrams.add(trigram(t.charCodeAt(i - 2), t.charCodeAt(i - 1), t.charCodeAt(i)));
    return { trigrams: [...trigrams], unproven: search.filter((t) => t.length !== 3).map((t) => Buffer.from(t, 'latin1')) };
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
    const from = this.from[slot] as number;
    const to = from + (this.length[slot] as number);
    const text = this.bytes.subarray(from, to);
    for (const needle of terms.unproven) if (text.indexOf(needle) < 0) return false;
    return true;
  }

  /** Bytes held: texts and their offsets, trigram bitmaps (counted by Roaring's serialised size, close to what it holds). */
  memory(): Record<string, number> {
    let lists = 0;
    for (const b of this.lists?.values() ?? []) lists += b.getSerializationSizeInBytes('croaring') + 48;
    return { 'search texts': this.bytes.byteLength + this.from.byteLength * 2, 'trigram bitmaps': lists };
  }
}
