// The trigrams of the search texts (searchIndex.ts) and their bitmaps, built a chunk of slots at a time in two
// passes: one counts each trigram's users, one writes every list into one array in slot order; each list is
// then appended to its compressed bitmap (Roaring: sorted input, run containers where users are runs). Yields
// to the event loop every few thousand users.
import { grown } from './growable';
import { RoaringBitmap32 } from 'roaring';

/** The byte that joins a text's fields: a trigram across it is no trigram of any field. */
const SEPARATOR = 1;
const TURN = 5_000;

export const trigram = (a: number, b: number, c: number) => (a << 16) | (b << 8) | c;

/** Calls fn with each trigram of bytes[from, to) that lies within one field (repeats included). */
export function eachTrigram(bytes: Uint8Array, from: number, to: number, fn: (key: number) => void): void {
  for (let i = from + 2; i < to; i++) {
    const a = bytes[i - 2] as number, b = bytes[i - 1] as number, c = bytes[i] as number;
    if (a !== SEPARATOR && b !== SEPARATOR && c !== SEPARATOR) fn(trigram(a, b, c));
  }
}

/** Calls visit with each field range of the slot's text (searchTexts.ts). */
export type FieldsOf = (slot: number, visit: (bytes: Uint8Array, from: number, to: number) => void) => void;

/** Trigrams are 24 bits: each one's list number is read from one array (64 MB while the lists are built) rather than a Map. */
const TRIGRAMS = 1 << 24;

/**
 * The lists of the chunk being built: each trigram's number + 1 (0: none yet), the trigram of each number, each
 * list's size, the last slot counted in each, the slot read, and the numbers of each slot's trigrams in turn
 * (`stream`, `streamed` of them), so the second pass reads numbers rather than decoding the texts again.
 */
type Lists = { numberOf: Int32Array; keys: number[]; size: Int32Array; last: Int32Array; slot: number; stream: Int32Array; streamed: number };

/**
 * Slots whose lists are built at once: one Roaring container's range (its lists are appended to the bitmaps
 * as they are), 8 bytes per trigram of its texts meanwhile (about 30 MB).
 */
export const CHUNK = 1 << 16;

/**
 * The trigram bitmaps of slots' texts, built a chunk of slots at a time in slot order (memory bounded by the
 * chunk, not the directory): each chunk's trigrams numbered and counted in one pass over its texts, its lists
 * filled from those numbers, then appended to the bitmaps.
 */
export class TrigramLists {
  readonly bitmaps = new Map<number, RoaringBitmap32>();
  /** Zero as made (no pass over its 64 MB) but for the trigrams across fields. */
  private readonly numberOf = numberTable();
  private stream: Int32Array = new Int32Array(1 << 20);
  /** The chunk's lists, one after the other: kept from chunk to chunk (a new one each time cost a collection of 16 MB). */
  private ids = new Uint32Array(1 << 20);

  /** Adds the trigrams of slots [first, end), a chunk at a time, every one past those added before. */
  async addRange(first: number, end: number, fieldsOf: FieldsOf, chunk = CHUNK): Promise<void> {
    for (let from = first; from < end; from += chunk) await this.addChunk(from, Math.min(end, from + chunk), fieldsOf);
  }

  /** Adds the trigrams of slots [first, end) (one chunk's worth at most), every one past those added before. */
  async addChunk(first: number, end: number, fieldsOf: FieldsOf): Promise<void> {
    const lists: Lists = { numberOf: this.numberOf, keys: [], size: new Int32Array(1024), last: new Int32Array(1024).fill(-1), slot: 0, stream: this.stream, streamed: 0 };
    const ends = new Int32Array(end - first);
    const count = (bytes: Uint8Array, from: number, to: number) => countRange(lists, bytes, from, to);
    for (let from = first; from < end; from += TURN) {
      for (let slot = from; slot < Math.min(end, from + TURN); slot++) {
        fieldsOf((lists.slot = slot), count);
        ends[slot - first] = lists.streamed;
      }
      await new Promise(setImmediate);
    }
    this.stream = lists.stream;
    const { keys, size } = lists;
    const start = new Int32Array(keys.length + 1);
    for (let n = 0; n < keys.length; n++) start[n + 1] = (start[n] as number) + (size[n] as number);
    if (this.ids.length < (start[keys.length] as number)) this.ids = new Uint32Array(Math.ceil((start[keys.length] as number) * 1.25));
    const ids = fillLists(lists, ends, first, start, this.ids);
    for (const [n, key] of keys.entries()) {
      const slots = ids.subarray(start[n] as number, start[n + 1] as number);
      const bitmap = this.bitmaps.get(key);
      if (bitmap === undefined) this.bitmaps.set(key, new RoaringBitmap32(slots));
      else bitmap.addMany(slots);
      this.numberOf[key] = 0;
    }
    await new Promise(setImmediate);
  }

  /** Once every chunk is in: each bitmap's runs made run containers, its spare room given back (in turns). */
  async finish(): Promise<Map<number, RoaringBitmap32>> {
    let done = 0;
    for (const bitmap of this.bitmaps.values()) {
      bitmap.runOptimize();
      bitmap.shrinkToFit();
      if (++done % 256 === 0) await new Promise(setImmediate);
    }
    return this.bitmaps;
  }
}

/** numberOf's mark for a trigram across fields (one of its bytes the separator): never counted. */
const ACROSS = -1;

/** A numberOf table (trigram → its number + 1; 0: none yet), every trigram across fields marked ACROSS. */
function numberTable(): Int32Array {
  const numberOf = new Int32Array(TRIGRAMS);
  for (let x = 0; x < 1 << 16; x++) {
    numberOf[(SEPARATOR << 16) | x] = ACROSS;
    numberOf[((x >> 8) << 16) | (SEPARATOR << 8) | (x & 0xff)] = ACROSS;
    numberOf[(x << 8) | SEPARATOR] = ACROSS;
  }
  return numberOf;
}

/**
 * Numbers and counts the trigrams of bytes [from, to) of the current slot's text, each once per slot (`last`),
 * and streams their numbers. The loop is written out (no callback per trigram, the key rolled a byte at a
 * time, fields' borders marked in the table): it runs 60 million times for a million users.
 */
function countRange(lists: Lists, text: Uint8Array, from: number, to: number): void {
  const { numberOf, slot } = lists;
  let { last, stream, streamed } = lists;
  let key = from + 1 < to ? ((text[from] as number) << 8) | (text[from + 1] as number) : 0;
  for (let i = from + 2; i < to; i++) {
    key = ((key << 8) & 0xffffff) | (text[i] as number);
    let n = (numberOf[key] as number) - 1;
    if (n === ACROSS - 1) continue;
    if (n < 0) {
      n = newNumber(lists, key);
      last = lists.last;
    }
    if (last[n] === slot) continue;
    last[n] = slot;
    lists.size[n] = (lists.size[n] as number) + 1;
    if (streamed === stream.length) stream = grow(stream);
    stream[streamed++] = n;
  }
  [lists.stream, lists.streamed] = [stream, streamed];
}

/** A number for a trigram first met in this chunk. */
function newNumber(lists: Lists, key: number): number {
  const n = lists.keys.length;
  lists.numberOf[key] = n + 1;
  lists.keys.push(key);
  if (n === lists.size.length) [lists.size, lists.last] = [grow(lists.size), grown(lists.last, lists.last.length * 2).fill(-1, lists.last.length)];
  return n;
}

/** Every list's slots, in slot order, in one array (list n at [start[n], start[n + 1])): read from the stream of numbers. */
function fillLists(lists: Lists, ends: Int32Array, first: number, start: Int32Array, ids: Uint32Array): Uint32Array {
  const filled = start.slice(0, start.length - 1);
  const { stream } = lists;
  for (let k = 0, i = 0; k < ends.length; k++) {
    for (const end = ends[k] as number; i < end; i++) {
      const n = stream[i] as number;
      ids[filled[n] as number] = first + k;
      filled[n] = (filled[n] as number) + 1;
    }
  }
  return ids;
}

const grow = (a: Int32Array) => grown(a, a.length * 2);
