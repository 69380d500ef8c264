// The search texts, appended to pages of 8 MB: the store grows a page at a time, never copying what it holds
// (one buffer doubled and copied cost 60 MB at once and held a request up while it copied). A text is one
// offset (page × PAGE + offset within it, 32 bits: 2 GB in all) and a length; one longer than a page gets a
// page of its own.
const PAGE = 1 << 23;
const EMPTY = Buffer.alloc(0);

export class TextPages {
  private readonly pages: Buffer[] = [];
  /** Bytes used in the last page. */
  private top = PAGE;
  /** Bytes appended in all (what was replaced included). */
  used = 0;

  /** Appends the text (UTF-8), returning where it starts and its length in bytes. */
  append(text: string | Uint8Array): { at: number; length: number } {
    const most = typeof text === 'string' ? text.length * 3 : text.length;
    if (this.top + most > PAGE) {
      this.pages.push(Buffer.allocUnsafe(Math.max(PAGE, most)));
      this.top = 0;
    }
    const page = this.pages[this.pages.length - 1] as Buffer;
    const length = typeof text === 'string' ? page.write(text, this.top) : copyInto(page, text, this.top);
    const at = (this.pages.length - 1) * PAGE + this.top;
    this.top += most > PAGE ? PAGE : length;
    this.used += length;
    return { at, length };
  }

  /** The bytes of a text (a view, not a copy). */
  view(at: number, length: number): Buffer {
    if (length === 0) return EMPTY;
    const page = this.pages[Math.floor(at / PAGE)] as Buffer;
    const from = at % PAGE;
    return page.subarray(from, from + length);
  }

  /**
   * Whether the text holds the needle: a plain loop over the page's bytes (no view made, no call into C++),
   * several times faster than Buffer.indexOf on texts of tens of bytes.
   */
  contains(at: number, length: number, needle: Uint8Array): boolean {
    const n = needle.length;
    if (length < n) return false;
    if (n === 0) return true;
    const page = this.pages[Math.floor(at / PAGE)] as Buffer;
    const from = at % PAGE;
    const head = needle[0] as number;
    for (let i = from, last = from + length - n; i <= last; i++) {
      if (page[i] !== head) continue;
      let j = 1;
      while (j < n && page[i + j] === needle[j]) j++;
      if (j === n) return true;
    }
    return false;
  }

  get bytes(): number {
    return this.pages.reduce((n, p) => n + p.byteLength, 0);
  }
}

function copyInto(page: Buffer, bytes: Uint8Array, at: number): number {
  page.set(bytes, at);
  return bytes.length;
}
