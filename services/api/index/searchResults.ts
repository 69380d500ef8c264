// The exact answers of the searches asked last (their terms as one key → the bitmap of every user whose text
// holds them all), kept exact as texts change: a search whose terms need their texts tested (a term of other
// than three characters) tests them once, in turns of the event loop, and is then an intersection like any
// filter. The least recently asked are forgotten past KEPT.
import { RoaringBitmap32 } from 'roaring';
import type { SearchTerms } from './searchTerms';

/** What the answers are computed from (searchIndex.ts). */
export type Searchable = Readonly<{
  /** The users holding every trigram of the terms (a new bitmap), or null when no term has one. */
  candidates: (terms: SearchTerms) => RoaringBitmap32 | null;
  /** Whether the slot's text holds every term that needs testing. */
  holds: (slot: number, terms: SearchTerms) => boolean;
  /** Whether the slot's text holds every term. */
  holdsAll: (slot: number, terms: SearchTerms) => boolean;
  /** Slots that may hold text: [0, slots). */
  readonly slots: number;
}>;

const KEPT = 32;
/** Texts tested per turn of the event loop. */
const TURN = 16_384;

export class SearchResults {
  private readonly kept = new Map<string, { terms: SearchTerms; bits: RoaringBitmap32 }>();
  /** Counts the texts written, so that an answer computed across turns knows whether one changed meanwhile. */
  private writes = 0;

  constructor(private readonly search: Searchable) {}

  /** The users whose text holds every term. */
  async exact(terms: SearchTerms): Promise<RoaringBitmap32> {
    const kept = this.kept.get(terms.key);
    if (kept !== undefined) {
      this.kept.delete(terms.key);
      this.kept.set(terms.key, kept);
      return kept.bits;
    }
    let bits = await this.tested(terms);
    // Texts written while it was computed: computed again in one go (rare, and then bounded by the candidates).
    if (bits === null) bits = (await this.tested(terms, Infinity)) as RoaringBitmap32;
    if (this.kept.size >= KEPT) this.kept.delete(this.kept.keys().next().value as string);
    this.kept.set(terms.key, { terms, bits });
    return bits;
  }

  /** The candidates (every slot when no term has a trigram) that hold the terms; null when a text changed meanwhile. */
  private async tested(terms: SearchTerms, turn = TURN): Promise<RoaringBitmap32 | null> {
    const started = this.writes;
    const candidates = this.search.candidates(terms)?.toUint32Array() ?? null;
    const size = candidates?.length ?? this.search.slots;
    const found: number[] = [];
    for (let from = 0; from < size; from += turn) {
      const to = Math.min(size, from + turn);
      for (let i = from; i < to; i++) {
        const slot = candidates === null ? i : (candidates[i] as number);
        if (this.search.holds(slot, terms)) found.push(slot);
      }
      if (to < size) await new Promise(setImmediate);
    }
    return this.writes === started ? new RoaringBitmap32(found) : null;
  }

  /** A slot's text was written: every kept answer follows. */
  textWritten(slot: number): void {
    this.writes++;
    for (const { terms, bits } of this.kept.values()) {
      if (this.search.holdsAll(slot, terms)) bits.add(slot);
      else bits.remove(slot);
    }
  }

  get bytes(): number {
    let n = 0;
    for (const { bits } of this.kept.values()) n += bits.getSerializationSizeInBytes('croaring') + 64;
    return n;
  }
}
