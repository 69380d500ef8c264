// Each user's search text as the read model's `search_text` holds it (readModel.ts: the id's text, then the
// searched fields, joined by \x01), held without its first field: the id is the slot's own (slots.ts),
// written out when a test or the trigram build asks for it (7 MB fewer at a million users). The rest lies in
// pages (textPages.ts): an offset and a 16-bit length per slot, a longer one kept aside.
import { RoaringBitmap32 } from 'roaring';
import { grown } from './growable';
import { holds, PAGE, TextPages } from './textPages';
import type { TextChunk } from './textChunk';

/** Writes the slot's id as decimal ASCII into `into` at `at` (20 bytes at most), returning its length. */
export type IdText = (slot: number, into: Buffer, at?: number) => number;
/** Called with each field range of a text: bytes [from, to). */
export type FieldVisitor = (bytes: Uint8Array, from: number, to: number) => void;

const SEPARATOR = 1;
/** A `size` that says the length is in `long`. */
const LONG = 0xffff;

export class SearchTexts {
  private readonly pages = new TextPages();
  private at = new Int32Array(0);
  /** 0: no text (no user, or a deleted one); else 1 + the held part's length, or LONG (the length is in `long`). */
  private size = new Uint16Array(0);
  private readonly long = new Map<number, number>();
  private readonly id = Buffer.alloc(24);
  /** The slots whose text has a field of one or two characters: what a union of trigrams cannot find (searchIndex.ts). */
  readonly short = new RoaringBitmap32();
  /** One past the last slot written. */
  private end = 0;
  /** Bytes held for texts since replaced. */
  garbage = 0;
  /** Whether the texts outgrew `maxBytes`: nothing is held from then on. */
  full = false;

  constructor(private readonly idText: IdText, private readonly maxBytes: number) {}

  /** Records the slot's text: bytes [from, from + length) of `bytes`, the id's field first; length 0 for none. */
  set(slot: number, bytes: Uint8Array, from: number, length: number): void {
    let rest = from;
    while (rest < from + length && bytes[rest] !== SEPARATOR) rest++;
    const held = Math.max(0, from + length - rest - 1);
    if (this.full || this.pages.used + held > this.maxBytes) {
      this.full = true;
      return;
    }
    if (slot >= this.at.length) this.grow(Math.max(slot + 1, this.at.length * 2));
    if (slot >= this.end) this.end = slot + 1;
    if (length > 0 && hasShortField(bytes, from, from + length)) this.short.add(slot);
    else this.short.remove(slot);
    if (this.has(slot)) this.garbage += this.lengthOf(slot);
    this.at[slot] = held === 0 ? 0 : this.pages.appendBytes(bytes, rest + 1, held);
    this.size[slot] = length === 0 ? 0 : held + 1 >= LONG ? LONG : held + 1;
    if (held + 1 >= LONG) this.long.set(slot, held);
    else this.long.delete(slot);
  }

  has(slot: number): boolean {
    return slot < this.size.length && this.size[slot] !== 0;
  }

  private lengthOf(slot: number): number {
    const size = this.size[slot] as number;
    return size === LONG ? (this.long.get(slot) as number) : size - 1;
  }

  /** Whether the slot's text is these bytes (as `set` takes them): its id's field, then what it holds. */
  same(slot: number, bytes: Uint8Array, from: number, length: number): boolean {
    if (!this.has(slot)) return length === 0;
    const idLength = this.idText(slot, this.id);
    for (let i = 0; i < idLength; i++) if (bytes[from + i] !== this.id[i]) return false;
    const held = this.lengthOf(slot);
    if (length <= idLength + 1) return held === 0 && (length === idLength || bytes[from + idLength] === SEPARATOR);
    if (bytes[from + idLength] !== SEPARATOR || length - idLength - 1 !== held) return false;
    const at = this.at[slot] as number;
    const page = this.pages.page(at);
    const start = this.pages.offset(at);
    for (let i = 0; i < held; i++) if (page[start + i] !== bytes[from + idLength + 1 + i]) return false;
    return true;
  }

  /** Calls visit with the slot's id field, then the rest of its text (its other fields, \x01 between them); nothing without a text. */
  fields(slot: number, visit: FieldVisitor): void {
    if (!this.has(slot)) return;
    visit(this.id, 0, this.idText(slot, this.id));
    const at = this.at[slot] as number;
    const page = this.pages.page(at);
    const from = this.pages.offset(at);
    visit(page, from, from + this.lengthOf(slot));
  }

  /** Whether the slot's text holds the needle; `numeric`: the needle may be in the id (digits and '-' only). */
  holds(slot: number, needle: Uint8Array, numeric: boolean): boolean {
    if (!this.has(slot)) return false;
    if (this.pages.contains(this.at[slot] as number, this.lengthOf(slot), needle)) return true;
    return numeric && holds(this.id, 0, this.idText(slot, this.id), needle);
  }

  /** Slots [first, end) for another thread (textChunk.ts): the pages shared, ids written out, offsets and lengths copied. */
  chunk(first: number, end: number): TextChunk {
    const held = new Int32Array(end - first);
    const ids = Buffer.from(new ArrayBuffer((end - first) * 20));
    const idEnds = new Int32Array(end - first);
    let written = 0;
    for (let slot = first; slot < end; slot++) {
      const has = this.has(slot);
      held[slot - first] = has ? this.lengthOf(slot) : -1;
      if (has) written += this.idText(slot, ids, written);
      idEnds[slot - first] = written;
    }
    const at = this.at.slice(first, end);
    return { first, end, pages: this.pages.shared(), pageBytes: PAGE, at, held, ids: new Uint8Array(ids.buffer, 0, written), idEnds };
  }

  reserve(users: number): void {
    if (users > this.at.length) this.grow(users);
  }

  private grow(capacity: number): void {
    [this.at, this.size] = [grown(this.at, capacity), grown(this.size, capacity)];
  }

  /** Slots that may hold text: [0, slots), those past the last ever written left out (the arrays are made larger). */
  get slots(): number {
    return this.end;
  }

  /** Bytes appended in all (what was replaced included). */
  get used(): number {
    return this.pages.used;
  }

  get bytes(): number {
    return this.pages.bytes + this.at.byteLength + this.size.byteLength + this.long.size * 40 + this.short.getSerializationSizeInBytes('croaring');
  }
}

/** Whether bytes [from, to) (fields joined by the separator) have a field of one or two bytes. */
function hasShortField(bytes: Uint8Array, from: number, to: number): boolean {
  let start = from;
  for (let i = from; i <= to; i++) {
    if (i < to && bytes[i] !== SEPARATOR) continue;
    if (i - start === 1 || i - start === 2) return true;
    start = i + 1;
  }
  return false;
}
