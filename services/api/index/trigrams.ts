// The trigrams of the texts in one buffer (searchIndex.ts) and their bitmaps, built in two passes: one counts
// each trigram's users, one writes every list into one array in slot order; each list then becomes a
// compressed bitmap (Roaring: sorted input, run containers where users are runs). Yields to the event loop
// every few thousand users (a million texts take a second or two in all).
import { RoaringBitmap32 } from 'roaring';

/** The byte that joins a text's fields: a trigram across it is no trigram of any field. */
const SEPARATOR = 1;
const TURN = 20_000;

export const trigram = (a: number, b: number, c: number) => (a << 16) | (b << 8) | c;

/** Calls fn with each trigram of bytes[from, to) that lies within one field (repeats included). */
export function eachTrigram(bytes: Uint8Array, from: number, to: number, fn: (key: number) => void): void {
  for (let i = from + 2; i < to; i++) {
    const a = bytes[i - 2] as number, b = bytes[i - 1] as number, c = bytes[i] as number;
    if (a !== SEPARATOR && b !== SEPARATOR && c !== SEPARATOR) fn(trigram(a, b, c));
  }
}

async function eachSlot(from: Int32Array, length: Int32Array, bytes: Uint8Array, fn: (slot: number, key: number) => void): Promise<void> {
  for (let slot = 0; slot < from.length; slot++) {
    const start = from[slot] as number;
    eachTrigram(bytes, start, start + (length[slot] as number), (key) => fn(slot, key));
    if (slot % TURN === TURN - 1) await new Promise(setImmediate);
  }
}

export async function buildTrigrams(bytes: Uint8Array, from: Int32Array, length: Int32Array): Promise<Map<number, RoaringBitmap32>> {
  const numbers = new Map<number, number>();
  let size = new Int32Array(1024);
  let last = new Int32Array(1024);
  await eachSlot(from, length, bytes, (slot, key) => {
    let n = numbers.get(key);
    if (n === undefined) {
      numbers.set(key, (n = numbers.size));
      if (n === size.length) [size, last] = [grow(size), grow(last)];
      last[n] = -1;
    }
    if (last[n] === slot) return;
    last[n] = slot;
    size[n] = (size[n] as number) + 1;
  });
  const start = new Int32Array(numbers.size + 1);
  for (let n = 0; n < numbers.size; n++) start[n + 1] = (start[n] as number) + (size[n] as number);
  const ids = new Uint32Array(start[numbers.size] as number);
  const filled = new Int32Array(numbers.size);
  last.fill(-1);
  await eachSlot(from, length, bytes, (slot, key) => {
    const n = numbers.get(key) as number;
    if (last[n] === slot) return;
    last[n] = slot;
    ids[(start[n] as number) + (filled[n] as number)] = slot;
    filled[n] = (filled[n] as number) + 1;
  });
  const lists = new Map<number, RoaringBitmap32>();
  let done = 0;
  for (const [key, n] of numbers) {
    const bitmap = new RoaringBitmap32(ids.subarray(start[n] as number, start[n + 1] as number));
    bitmap.runOptimize();
    bitmap.shrinkToFit();
    lists.set(key, bitmap);
    done += size[n] as number;
    if (done > TURN * 20) {
      done = 0;
      await new Promise(setImmediate);
    }
  }
  return lists;
}

function grow(a: Int32Array): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(a.length * 2);
  grown.set(a);
  return grown;
}
