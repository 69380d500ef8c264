// What crosses between the index's thread and the trigram build's (trigramBuild.ts, trigramWorker.ts): chunks
// of texts one way; the other, the bitmaps as one buffer (each in CRoaring's own format, one after the other,
// with their trigrams and where each ends).
import { RoaringBitmap32 } from 'roaring';
import type { TextChunk } from './textChunk';

export type PackedBitmaps = Readonly<{ keys: Int32Array; ends: Int32Array; bytes: Uint8Array }>;
export type ToTrigramWorker = { t: 'chunk'; chunk: TextChunk } | { t: 'finish' };
export type FromTrigramWorker = ({ t: 'built' } & PackedBitmaps) | { t: 'failed'; message: string };

export function packBitmaps(bitmaps: ReadonlyMap<number, RoaringBitmap32>): PackedBitmaps {
  const keys = new Int32Array(bitmaps.size);
  const ends = new Int32Array(bitmaps.size);
  let [i, at] = [0, 0];
  for (const [key, b] of bitmaps) {
    at += b.getSerializationSizeInBytes('croaring');
    [keys[i], ends[i]] = [key, at];
    i++;
  }
  const bytes = new Uint8Array(at);
  i = 0;
  for (const b of bitmaps.values()) b.serialize('croaring', bytes.subarray(i === 0 ? 0 : (ends[i - 1] as number), ends[i++] as number));
  return { keys, ends, bytes };
}

/** Each of the packed bitmaps, in turns of the event loop (the index's thread serves meanwhile). */
export async function eachUnpacked(p: PackedBitmaps, fn: (key: number, bitmap: RoaringBitmap32) => void): Promise<void> {
  for (let i = 0; i < p.keys.length; i++) {
    const from = i === 0 ? 0 : (p.ends[i - 1] as number);
    fn(p.keys[i] as number, RoaringBitmap32.deserialize(p.bytes.subarray(from, p.ends[i] as number), 'croaring'));
    if (i % 256 === 255) await new Promise(setImmediate);
  }
}
