// The elements of a JSON array read as a stream (`dumpdata --format json` writes one array, often on one line):
// each top-level element's text is cut out and parsed alone, so the file is never held whole. Cutting and
// parsing with the project's exact parser (shared/json.ts) keeps 64-bit ids exact and costs far less than a
// token-per-event streaming parser.
import { parseJsonExact } from '../../shared/json';

const OPEN = new Set(['{', '[']);
const CLOSE = new Set(['}', ']']);
/** What may stand outside the objects: the array's brackets and commas (whitespace aside). */
const BETWEEN = new Set(['[', ']', '{', ',']);

/** Feeds text chunks in order; returns the elements completed by each chunk. Throws on a malformed array. */
export class JsonArrayElements {
  private depth = 0;
  private inString = false;
  private escaped = false;
  private pending = '';
  private ended = false;

  push(chunk: string): unknown[] {
    const out: unknown[] = [];
    let start = this.depth >= 2 ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i] as string;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === '\\') this.escaped = true;
        else if (c === '"') this.inString = false;
        continue;
      }
      if (this.depth <= 1 && !BETWEEN.has(c) && !/\s/.test(c)) throw new SyntaxError(`unexpected "${c}" between the dump's objects`);
      if (c === '"') this.inString = true;
      else if (OPEN.has(c)) {
        if (this.ended || (this.depth === 0 && c !== '[')) throw new SyntaxError('a JSON dump is one array of objects');
        this.depth++;
        if (this.depth === 2) start = i;
      } else if (CLOSE.has(c)) {
        this.depth--;
        if (this.depth === 1) {
          out.push(parseJsonExact(this.pending + chunk.slice(start, i + 1)));
          this.pending = '';
          start = -1;
        } else if (this.depth === 0) this.ended = true;
        else if (this.depth < 0) throw new SyntaxError('unbalanced brackets in the JSON dump');
      }
    }
    if (start >= 0) this.pending += chunk.slice(start);
    return out;
  }

  /** Throws if the array was not closed. */
  end(): void {
    if (!this.ended && !(this.depth === 0 && this.pending === '')) throw new SyntaxError('the JSON dump ends before its array is closed');
  }
}
