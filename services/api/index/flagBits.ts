// One compressed bitmap (Roaring) of slots per bit of the flags word: a test (flags & mask) === value is the
// intersection of the bitmaps of the bits wanted set, minus those of the bits wanted clear. The listing code
// lays the bits out (listing/parse/indexQuery.ts); here a bit is only a bit.
import { RoaringBitmap32 } from 'roaring';
import { inTurns } from './yieldEvery';
import { Uint32List } from './growable';

const WORD_BITS = 16;

export class FlagBits {
  private readonly bits = Array.from({ length: WORD_BITS }, () => new RoaringBitmap32());

  /** Records a slot's word, given what it was (0 for a new slot). */
  set(slot: number, was: number, now: number): void {
    for (let changed = was ^ now, bit = 0; changed !== 0; changed >>>= 1, bit++) {
      if ((changed & 1) === 0) continue;
      const bitmap = this.bits[bit] as RoaringBitmap32;
      if ((now >>> bit) & 1) bitmap.add(slot);
      else bitmap.remove(slot);
    }
  }

  /** After a load: every bit's slots in one pass over the words (in turns), then each bitmap from its sorted slots at once. */
  async load(words: Uint16Array, size: number): Promise<void> {
    const lists = this.bits.map(() => new Uint32List());
    await inTurns(size, (from, to) => {
      for (let slot = from; slot < to; slot++) {
        for (let w = words[slot] as number; w !== 0; w &= w - 1) (lists[31 - Math.clz32(w & -w)] as Uint32List).push(slot);
      }
    });
    for (const [bit, list] of lists.entries()) {
      const bitmap = new RoaringBitmap32(list.view());
      bitmap.runOptimize();
      this.bits[bit] = bitmap;
    }
  }

  get bytes(): number {
    return this.bits.reduce((n, b) => n + b.getSerializationSizeInBytes('croaring') + 48, 0);
  }

  /** The slots whose word passes (word & mask) === value. Only present users are asked for: mask and value hold bit 0 (PRESENT, query.ts), or nothing passes. */
  select(mask: number, value: number): RoaringBitmap32 {
    if ((mask & ~value) & 1 || (value & ~mask) !== 0) return new RoaringBitmap32();
    const result = (this.bits[0] as RoaringBitmap32).clone();
    for (let bit = 1; bit < WORD_BITS; bit++) {
      if (((mask >>> bit) & 1) === 0) continue;
      if ((value >>> bit) & 1) result.andInPlace(this.bits[bit] as RoaringBitmap32);
      else result.andNotInPlace(this.bits[bit] as RoaringBitmap32);
    }
    return result;
  }
}
