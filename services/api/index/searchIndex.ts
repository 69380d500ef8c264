// Every user's searchable text in memory, and which users hold each trigram of it: what counts a search for a
// common term in milliseconds. PostgreSQL's exact count of `search=ada` visits every row holding the term
// (74,000 of a million, 35,000 heap pages, 150 ms); here the users holding the terms' rarest trigrams are
// read from sorted lists, intersected, and tested against their text. The text is the read model's
// `search_text` column (PostgreSQL's upper() of the searched fields, joined by \x01), so a term is found here
// exactly when listing/filters.ts's searchCondition finds it (facets.ts checks that JavaScript and PostgreSQL fold
// ASCII alike; facetSpec.ts leaves other terms to PostgreSQL). Texts are held as UTF-8 in one buffer, in id
// order: an ASCII term's bytes occur in it exactly where the term occurs in the text, and testing thousands
// of users reads memory in order (one string object per user, scattered in the heap, measured slower). Offsets
// are 32-bit: past 2 GB of text (about 29 million users) the index says it is `full` and PostgreSQL counts.
const SEPARATOR = 1;
/** Users whose text changed since the lists were built are tested one by one; past this many, a rebuild is due. */
const CHANGED_MAX = 20_000;
/** Lists intersected to find the candidates, at least: the rarest of the terms' trigrams. */
const INTERSECTED = 2;
const MAX_BYTES = 2 ** 31 - 1;

/**
 * A search's terms as this index tests them: `lists` to intersect (rarest first), and the terms a user found
 * in them must still be tested for (`unproven`): a three-character term is its own trigram, so its list holds
 * exactly the users whose text (as built) holds it.
 */
export type SearchTerms = Readonly<{ needles: readonly Uint8Array[]; unproven: readonly Uint8Array[]; lists: readonly number[] }>;

const trigram = (a: number, b: number, c: number) => (a << 16) | (b << 8) | c;

export class SearchIndex {
  private bytes = Buffer.alloc(1 << 20);
  private used = 0;
  /** Where each slot's text starts in `bytes`, and its length (0: no user, or a deleted one). */
  private from = new Int32Array(0);
  private length = new Int32Array(0);
  private garbage = 0;
  /** Each trigram's list: slots in `ids` from `start[n]`, `size[n]` of them, n = `numbers.get(trigram)`; ascending. */
  private readonly numbers = new Map<number, number>();
  private ids = new Uint32Array(0);
  private start = new Int32Array(0);
  private size = new Int32Array(0);
  private built = false;
  /** 1 for a slot whose text changed after the lists were built: it is tested whatever the lists say. */
  private changed = new Uint8Array(0);
  private readonly changedIds: number[] = [];
  private readonly prepared = new WeakMap<readonly string[], SearchTerms>();
  /** Whether the texts outgrew `maxBytes`: searches cannot be counted here any more. */
  full = false;

  /** `maxBytes`: the most bytes of text held (32-bit offsets; a text holds more bytes than it has trigrams, so the lists fit too). */
  constructor(private readonly maxBytes = MAX_BYTES) {}

  /** Whether so many texts changed since the build that a rebuild would make searches faster and free memory. */
  get wantsRebuild(): boolean {
    return this.changedIds.length > CHANGED_MAX || this.garbage > this.used / 2;
  }

  /** Records a user's text ('' for none); after the build, a changed text marks the user as changed. */
  set(id: number, text: string): void {
    if (this.full || this.used + text.length * 3 > this.maxBytes) {
      this.full = true;
      return;
    }
    if (id >= this.from.length) this.grow(Math.max(id + 1, this.from.length * 2));
    if (this.used + text.length * 3 > this.bytes.length) this.growBytes(this.used + text.length * 3);
    const at = this.used;
    const written = this.bytes.write(text, at);
    const [was, wasLength] = [this.from[id] as number, this.length[id] as number];
    if (written === wasLength && this.bytes.compare(this.bytes, was, was + wasLength, at, at + written) === 0) return;
    this.used += written;
    this.garbage += wasLength;
    this.from[id] = at;
    this.length[id] = written;
    if (this.built && this.changed[id] !== 1) {
      this.changed[id] = 1;
      this.changedIds.push(id);
    }
  }

  private grow(capacity: number): void {
    const [from, length, changed] = [new Int32Array(capacity), new Int32Array(capacity), new Uint8Array(capacity)];
    from.set(this.from);
    length.set(this.length);
    changed.set(this.changed);
    [this.from, this.length, this.changed] = [from, length, changed];
  }

  private growBytes(needed: number): void {
    const grown = Buffer.alloc(Math.min(this.maxBytes, Math.max(needed, this.bytes.length * 2)));
    this.bytes.copy(grown, 0, 0, this.used);
    this.bytes = grown;
  }

  /**
   * Builds the trigram lists of the texts set so far: one pass counts each trigram's users, a second fills
   * one array (4 bytes per user and trigram). Yields to the event loop every few thousand users. The texts'
   * buffer is cut to their size, with a tenth more for changes.
   */
  async build(): Promise<void> {
    if (this.full) return;
    const fitted = Buffer.alloc(Math.min(this.maxBytes, Math.ceil(this.used * 1.1)));
    this.bytes.copy(fitted, 0, 0, this.used);
    this.bytes = fitted;
    let lists = 0;
    let size = new Int32Array(1024);
    let last = new Int32Array(1024);
    await this.eachTrigram((id, key) => {
      let n = this.numbers.get(key);
      if (n === undefined) {
        n = lists++;
        this.numbers.set(key, n);
        if (n === size.length) [size, last] = [grow(size), grow(last)];
        last[n] = -1;
      }
      if (last[n] === id) return;
      last[n] = id;
      size[n] = (size[n] as number) + 1;
    });
    this.start = new Int32Array(lists + 1);
    for (let n = 0; n < lists; n++) this.start[n + 1] = (this.start[n] as number) + (size[n] as number);
    this.ids = new Uint32Array(this.start[lists] as number);
    this.size = new Int32Array(lists);
    last.fill(-1);
    await this.eachTrigram((id, key) => {
      const n = this.numbers.get(key) as number;
      if (last[n] === id) return;
      last[n] = id;
      const at = this.size[n] as number;
      this.ids[(this.start[n] as number) + at] = id;
      this.size[n] = at + 1;
    });
    this.built = true;
  }

  private async eachTrigram(fn: (id: number, key: number) => void): Promise<void> {
    const { bytes, from, length } = this;
    for (let id = 0; id < from.length; id++) {
      const end = (from[id] as number) + (length[id] as number);
      for (let i = (from[id] as number) + 2; i < end; i++) {
        const a = bytes[i - 2] as number, b = bytes[i - 1] as number, c = bytes[i] as number;
        if (a !== SEPARATOR && b !== SEPARATOR && c !== SEPARATOR) fn(id, trigram(a, b, c));
      }
      if (id % 20_000 === 19_999) await new Promise(setImmediate);
    }
  }

  /** The terms (folded, ASCII without \x01) as this index tests them: kept per array of terms. */
  terms(search: readonly string[]): SearchTerms {
    let prepared = this.prepared.get(search);
    if (prepared === undefined) {
      const exact = search.filter((t) => t.length === 3);
      const listOf = (t: string, i: number) => this.numbers.get(trigram(t.charCodeAt(i - 2), t.charCodeAt(i - 1), t.charCodeAt(i))) ?? -1;
      // A trigram no user held at the build: only changed users can match (-1, an empty list).
      const all = [...new Set(search.flatMap((t) => Array.from({ length: Math.max(0, t.length - 2) }, (_, i) => listOf(t, i + 2))))];
      const bySize = (a: number, b: number) => this.sizeOf(a) - this.sizeOf(b);
      const lists = new Set([...exact.map((t) => listOf(t, 2)), ...all.sort(bySize).slice(0, INTERSECTED)]);
      const needles = search.map((t) => Buffer.from(t, 'latin1'));
      prepared = { needles, unproven: needles.filter((_, i) => (search[i] as string).length !== 3), lists: [...lists].sort(bySize) };
      this.prepared.set(search, prepared);
    }
    return prepared;
  }

  private sizeOf(list: number): number {
    return list < 0 ? 0 : (this.size[list] as number);
  }

  /**
   * Calls fn with every user that may hold all the terms: those in each of the terms' lists (`listed`: only
   * the unproven terms are left to test), then those whose text changed since the build.
   * False, calling nothing, when no term is three characters long (every user is then a candidate).
   */
  eachCandidate(terms: SearchTerms, fn: (id: number, listed: boolean) => void): boolean {
    const [first, ...others] = terms.lists;
    if (first === undefined) return false;
    if (first >= 0) {
      const { ids, changed } = this;
      const cursors = others.map((n) => this.start[n] as number);
      const ends = others.map((n) => (this.start[n] as number) + (this.size[n] as number));
      const end = (this.start[first] as number) + (this.size[first] as number);
      next: for (let i = this.start[first] as number; i < end; i++) {
        const id = ids[i] as number;
        for (let k = 0; k < cursors.length; k++) {
          let c = cursors[k] as number;
          const stop = ends[k] as number;
          while (c < stop && (ids[c] as number) < id) c++;
          cursors[k] = c;
          if (c === stop) break next;
          if (ids[c] !== id) continue next;
        }
        if (changed[id] !== 1) fn(id, true);
      }
    }
    for (const id of this.changedIds) fn(id, false);
    return true;
  }

  /** Whether the user's text holds every term (with `listed`, every unproven term: eachCandidate). */
  holds(id: number, terms: SearchTerms, listed = false): boolean {
    if (id >= this.from.length) return false;
    const from = this.from[id] as number;
    const to = from + (this.length[id] as number);
    for (const needle of listed ? terms.unproven : terms.needles) if (!contains(this.bytes, from, to, needle)) return false;
    return true;
  }

  /** Bytes held: texts, offsets, lists. */
  get heldBytes(): number {
    return this.bytes.byteLength + this.from.byteLength * 2 + this.changed.byteLength + this.ids.byteLength
      + this.start.byteLength * 2 + this.numbers.size * 40;
  }
}

/** Whether bytes[from, to) holds the needle. */
function contains(bytes: Uint8Array, from: number, to: number, needle: Uint8Array): boolean {
  const n = needle.length;
  const head = needle[0] as number;
  for (let i = from, last = to - n; i <= last; i++) {
    if (bytes[i] !== head) continue;
    let j = 1;
    while (j < n && bytes[i + j] === needle[j]) j++;
    if (j === n) return true;
  }
  return false;
}

function grow(a: Int32Array): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(a.length * 2);
  grown.set(a);
  return grown;
}
