// The exact answers of searches whose terms need their texts tested (a term of other than three characters),
// as bitmaps kept exact as texts change. A search is computed once however many ask it at once, in turns of
// the event loop, its matches added to a bitmap a turn at a time (no array of every match); the texts written
// meanwhile are re-tested at its end, never the whole search again. What is kept is weighed in bytes, its
// key included (lru-cache, least recently asked out), and its number bounded: each text written is tested
// against every search kept.
import { LRUCache } from 'lru-cache';
import { RoaringBitmap32 } from 'roaring';
import type { SearchTerms } from './searchTerms';
import { inTimedTurns, STEP } from './yieldEvery';

/** What the answers are computed from (searchIndex.ts). */
export type Searchable = Readonly<{
  /** The users holding every trigram of the terms, or when none has one, every (short) term; null: every user. */
  narrowed: (terms: SearchTerms) => Promise<RoaringBitmap32 | null>;
  /** Whether the slot's text holds every term that needs testing. */
  holds: (slot: number, terms: SearchTerms) => boolean;
  /** Whether the slot's text holds every term. */
  holdsAll: (slot: number, terms: SearchTerms) => boolean;
  /** Slots that may hold text: [0, slots). */
  readonly slots: number;
}>;

/** Bytes the kept answers may weigh: 128 answers of a million users matching half of them, about. */
const KEPT_BYTES = 16 * 2 ** 20;
/** Answers kept at most, whatever they weigh: a text written is tested against each (about 0.3 µs). */
const KEPT_MOST = 256;
/** Texts written meanwhile tested again at once, without a turn of the event loop between: about 5 ms. */
const AT_ONCE = 16_384;

type Kept = Readonly<{ terms: SearchTerms; bits: RoaringBitmap32 }>;
/** A search being computed: the slots whose texts were written since it began. */
type Computing = { written: RoaringBitmap32; readonly answer: Promise<RoaringBitmap32> };

/** An answer's weight: its bitmap, its key and its terms' bytes, and what every entry costs besides. */
const weigh = ({ terms, bits }: Kept): number =>
  bits.getSerializationSizeInBytes('croaring') + 2 * terms.key.length + terms.unproven.reduce((n, t) => n + t.length, 0) + 200;

export class SearchResults {
  private readonly kept = new LRUCache<string, Kept>({ max: KEPT_MOST, maxSize: KEPT_BYTES, sizeCalculation: weigh });
  private readonly computing = new Map<string, Computing>();

  constructor(private readonly search: Searchable) {}

  /** The users whose text holds every term: kept, being computed (shared), or computed now. */
  exact(terms: SearchTerms): Promise<RoaringBitmap32> {
    const kept = this.kept.get(terms.key);
    if (kept !== undefined) {
      // Writes since it was weighed may have grown it: weighed again.
      this.kept.set(terms.key, kept);
      return Promise.resolve(kept.bits);
    }
    const running = this.computing.get(terms.key);
    if (running !== undefined) return running.answer;
    const computing: Computing = { written: new RoaringBitmap32(), answer: this.computed(terms, () => computing) };
    this.computing.set(terms.key, computing);
    const forget = () => void this.computing.delete(terms.key);
    computing.answer.then(forget, forget);
    return computing.answer;
  }

  private async computed(terms: SearchTerms, computing: () => Computing): Promise<RoaringBitmap32> {
    await Promise.resolve(); // `computing()` is set once exact() has made it
    const bits = await this.tested(terms);
    // The texts written meanwhile, tested again (in turns while many), until none is left untested.
    for (;;) {
      const c = computing();
      const written = c.written;
      c.written = new RoaringBitmap32();
      if (written.size <= AT_ONCE) {
        this.retest(bits, terms, written.toUint32Array());
        break;
      }
      await this.inTurns(written, (slots) => this.retest(bits, terms, slots));
    }
    this.kept.set(terms.key, { terms, bits });
    return bits;
  }

  /** The candidates (every slot when no term has a trigram or is short) that hold the terms, tested in turns. */
  private async tested(terms: SearchTerms): Promise<RoaringBitmap32> {
    const candidates = await this.search.narrowed(terms);
    // Every term short: the candidates are the answer.
    if (candidates !== null && terms.trigrams.length === 0) return candidates;
    const bits = new RoaringBitmap32();
    const found = new Uint32Array(STEP);
    const test = (slot: number, n: number) => (this.search.holds(slot, terms) ? ((found[n] = slot), n + 1) : n);
    if (candidates === null) {
      await inTimedTurns(this.search.slots, (from, to) => {
        let n = 0;
        for (let slot = from; slot < to; slot++) n = test(slot, n);
        bits.addMany(found.subarray(0, n));
      });
      return bits;
    }
    await this.inTurns(candidates, (slots) => {
      let n = 0;
      for (const slot of slots) n = test(slot, n);
      bits.addMany(found.subarray(0, n));
    });
    return bits;
  }

  /** Calls fn with the bitmap's members (it must not change meanwhile), a step at a time, in turns of the event loop. */
  private inTurns(bitmap: RoaringBitmap32, fn: (slots: Uint32Array) => void): Promise<void> {
    const page = new Uint32Array(STEP);
    return inTimedTurns(bitmap.size, (from, to) => fn(bitmap.rangeUint32Array(from, to - from, page)));
  }

  private retest(bits: RoaringBitmap32, terms: SearchTerms, slots: Uint32Array): void {
    for (const slot of slots) {
      if (this.search.holdsAll(slot, terms)) bits.add(slot);
      else bits.remove(slot);
    }
  }

  /** A slot's text was written: every kept answer follows; every search being computed tests it again at its end. */
  textWritten(slot: number): void {
    for (const { terms, bits } of this.kept.values()) {
      if (this.search.holdsAll(slot, terms)) bits.add(slot);
      else bits.remove(slot);
    }
    for (const c of this.computing.values()) c.written.add(slot);
  }

  get bytes(): number {
    return this.kept.calculatedSize;
  }
}
