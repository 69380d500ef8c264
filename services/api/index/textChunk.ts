// A chunk of slots' search texts as another thread reads them (trigramBuild.ts): the text pages themselves
// (shared memory, textPages.ts) and copies of the chunk's offsets, held lengths and ids' texts, so that thread
// needs nothing else of the index.
import type { FieldsOf } from './trigrams';

export type TextChunk = Readonly<{
  /** Slots [first, end). */
  first: number;
  end: number;
  pages: readonly SharedArrayBuffer[];
  pageBytes: number;
  /** Per slot of the chunk: where its held text starts (textPages.ts), its length (-1: no text). */
  at: Int32Array;
  held: Int32Array;
  /** The ids' texts one after the other, and where each ends. */
  ids: Uint8Array;
  idEnds: Int32Array;
}>;

/** The fields of the chunk's slots, as searchTexts.ts's `fields` gives them: the id's, then the rest. */
export function chunkFields(chunk: TextChunk): FieldsOf {
  const pages = chunk.pages.map((p) => new Uint8Array(p));
  return (slot, visit) => {
    const k = slot - chunk.first;
    const held = chunk.held[k] as number;
    if (held < 0) return;
    visit(chunk.ids, k === 0 ? 0 : (chunk.idEnds[k - 1] as number), chunk.idEnds[k] as number);
    const at = chunk.at[k] as number;
    const from = at % chunk.pageBytes;
    visit(pages[Math.floor(at / chunk.pageBytes)] as Uint8Array, from, from + held);
  };
}

/** A TextChunk's own buffers (not the pages): handed over whole. */
export const transferablesOf = (c: TextChunk): ArrayBuffer[] => [c.at.buffer, c.held.buffer, c.ids.buffer, c.idEnds.buffer] as ArrayBuffer[];
