// The trigrams of the texts in one buffer (searchIndex.ts) and their bitmaps, built in two passes: one counts
// each trigram's users, one writes every list into one array in slot order; each list then becomes a
// compressed bitmap (Roaring: sorted input, run containers where users are runs). Yields to the event loop
// every few thousand users.
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

/** The lists being built: each trigram's number, the trigram of each number, each list's size, the last slot added to each, the slot read. */
type Lists = { numberOf: Int32Array; keys: number[]; size: Int32Array; last: Int32Array; slot: number };

/** Slots whose lists are built at once: the lists of a block take 4 bytes per trigram of its texts (about 200 MB per million users). */
const BLOCK = 1 << 20;

/**
 * The trigram bitmaps of the slots' texts, a block of slots at a time (memory bounded by the block, not the
 * directory): counted in one pass, filled in a second, made bitmaps and added to the blocks before's.
 */
export async function buildTrigrams(slots: number, fieldsOf: FieldsOf, block = BLOCK): Promise<Map<number, RoaringBitmap32>> {
  const bitmaps = new Map<number, RoaringBitmap32>();
  const numberOf = new Int32Array(TRIGRAMS).fill(-1);
  for (let first = 0; first < slots; first += block) {
    const lists: Lists = { numberOf, keys: [], size: new Int32Array(1024), last: new Int32Array(1024), slot: 0 };
    const end = Math.min(slots, first + block);
    const count = (bytes: Uint8Array, from: number, to: number) => countRange(lists, bytes, from, to);
    for (let from = first; from < end; from += TURN) {
      for (let slot = from; slot < Math.min(end, from + TURN); slot++) fieldsOf((lists.slot = slot), count);
      await new Promise(setImmediate);
    }
    const { keys, size, last } = lists;
    const start = new Int32Array(keys.length + 1);
    for (let n = 0; n < keys.length; n++) start[n + 1] = (start[n] as number) + (size[n] as number);
    const ids = new Uint32Array(start[keys.length] as number);
    const filled = start.slice(0, keys.length);
    last.fill(-1);
    const fill = (bytes: Uint8Array, from: number, to: number) => fillRange(lists, bytes, from, to, ids, filled);
    for (let from = first; from < end; from += TURN) {
      for (let slot = from; slot < Math.min(end, from + TURN); slot++) fieldsOf((lists.slot = slot), fill);
      await new Promise(setImmediate);
    }
    await addBitmaps(bitmaps, keys, start, ids);
    for (const key of keys) numberOf[key] = -1;
  }
  return bitmaps;
}

/**
 * Counts the trigrams of bytes [from, to) of the current slot's text, each once per slot (`last`). The loop is
 * written out (no callback per trigram): it runs 70 million times for a million users.
 */
function countRange(lists: Lists, text: Uint8Array, from: number, to: number): void {
  const { numberOf, keys, slot } = lists;
  for (let i = from + 2; i < to; i++) {
    const a = text[i - 2] as number, b = text[i - 1] as number, c = text[i] as number;
    if (a === SEPARATOR || b === SEPARATOR || c === SEPARATOR) continue;
    const key = trigram(a, b, c);
    let n = numberOf[key] as number;
    if (n < 0) {
      numberOf[key] = n = keys.length;
      keys.push(key);
      if (n === lists.size.length) [lists.size, lists.last] = [grow(lists.size), grow(lists.last)];
      lists.last[n] = -1;
    }
    if (lists.last[n] === slot) continue;
    lists.last[n] = slot;
    lists.size[n] = (lists.size[n] as number) + 1;
  }
}

/** Writes the current slot into the lists of the trigrams of bytes [from, to), at `filled` (the next free place of each list). */
function fillRange(lists: Lists, text: Uint8Array, from: number, to: number, ids: Uint32Array, filled: Int32Array): void {
  const { numberOf, last, slot } = lists;
  for (let i = from + 2; i < to; i++) {
    const a = text[i - 2] as number, b = text[i - 1] as number, c = text[i] as number;
    if (a === SEPARATOR || b === SEPARATOR || c === SEPARATOR) continue;
    const n = numberOf[trigram(a, b, c)] as number;
    if (last[n] === slot) continue;
    last[n] = slot;
    ids[filled[n] as number] = slot;
    filled[n] = (filled[n] as number) + 1;
  }
}

/** Each list as a compressed bitmap (from its sorted slots: Roaring's fast path), added to what the blocks before built; a turn of the event loop every 100,000 slots. */
async function addBitmaps(bitmaps: Map<number, RoaringBitmap32>, keys: readonly number[], start: Int32Array, ids: Uint32Array): Promise<void> {
  let done = 0;
  for (const [n, key] of keys.entries()) {
    let bitmap = new RoaringBitmap32(ids.subarray(start[n] as number, start[n + 1] as number));
    const before = bitmaps.get(key);
    if (before === undefined) bitmaps.set(key, bitmap);
    else bitmap = before.orInPlace(bitmap);
    bitmap.runOptimize();
    bitmap.shrinkToFit();
    done += (start[n + 1] as number) - (start[n] as number);
    if (done > 100_000) {
      done = 0;
      await new Promise(setImmediate);
    }
  }
}

const grow = (a: Int32Array) => grown(a, a.length * 2);
