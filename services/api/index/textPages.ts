// The search texts, appended to pages of 1 MB: the store grows a page at a time, never copying what it holds
// (one buffer doubled and copied cost 60 MB at once and held a request up while it copied), and wastes at
// most the end of its last page (8 MB pages wasted 8 MB at a million users). A text is one offset (page ×
// PAGE + offset within it, 32 bits: 2 GB in all) and a length; one longer than a page gets a page of its own.
// Pages are shared memory: the trigram build reads them from a thread of its own too (trigramBuild.ts).
export const PAGE = 1 << 20;
const EMPTY = Buffer.alloc(0);
/** Texts up to this long are copied byte by byte: cheaper than a call into C++ (Buffer#copy) for tens of bytes. */
const SHORT = 256;

export class TextPages {
  private readonly pages: Buffer[] = [];
  /** Bytes used in the last page. */
  private top = PAGE;
  /** Bytes appended in all (what was replaced included). */
  used = 0;

  /** Appends bytes [from, from + length) of `bytes` (no view made: the load calls this a million times), returning where they start. */
  appendBytes(bytes: Uint8Array, from: number, length: number): number {
    const page = this.room(length);
    const top = this.top;
    if (length <= SHORT) for (let i = 0; i < length; i++) page[top + i] = bytes[from + i] as number;
    else page.set(bytes.subarray(from, from + length), top);
    const at = (this.pages.length - 1) * PAGE + top;
    // A text longer than a page has a page of its own: the next starts a new one.
    this.top = length > PAGE ? PAGE : top + length;
    this.used += length;
    return at;
  }

  /** The last page, with room for `most` bytes at `top`. */
  private room(most: number): Buffer {
    if (this.top + most > PAGE) {
      this.pages.push(Buffer.from(new SharedArrayBuffer(Math.max(PAGE, most))));
      this.top = 0;
    }
    return this.pages[this.pages.length - 1] as Buffer;
  }

  /** The page a text starts in; it lies at `offset(at)` there. Loops over many texts read the page, not a view. */
  page(at: number): Buffer {
    return this.pages[Math.floor(at / PAGE)] ?? EMPTY;
  }

  offset(at: number): number {
    return at % PAGE;
  }

  /**
   * Whether the text holds the needle: a plain loop over the page's bytes (no view made, no call into C++),
   * several times faster than Buffer.indexOf on texts of tens of bytes.
   */
  contains(at: number, length: number, needle: Uint8Array): boolean {
    return holds(this.page(at), at % PAGE, length, needle);
  }

  /** The pages' memory, for another thread to read (a structured clone shares it, copies nothing). */
  shared(): SharedArrayBuffer[] {
    return this.pages.map((p) => p.buffer as SharedArrayBuffer);
  }

  get bytes(): number {
    return this.pages.reduce((n, p) => n + p.byteLength, 0);
  }
}

/** Whether bytes [from, from + length) hold the needle. */
export function holds(bytes: Uint8Array, from: number, length: number, needle: Uint8Array): boolean {
  const n = needle.length;
  if (length < n) return false;
  if (n === 0) return true;
  const head = needle[0] as number;
  for (let i = from, last = from + length - n; i <= last; i++) {
    if (bytes[i] !== head) continue;
    let j = 1;
    while (j < n && bytes[i + j] === needle[j]) j++;
    if (j === n) return true;
  }
  return false;
}
