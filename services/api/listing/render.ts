// A list answer as JSON text, built from each row's text rendered once. A row's JSON does not change while the
// row object lives, but for `is_online`, which is read per answer: so a row is rendered once with a marker
// where `is_online` goes, split there, and kept beside the row object (a kept page's rows are the same objects
// answer after answer, kept.ts). An answer is then joined text, with no object built per row.
import { RawJson, stringifyDrf } from '../../../shared/json';
import type { ListedRow } from './execute/statements';
import type { Endpoint } from './endpoint';

// JSON.stringify escapes U+0000 in any text a row holds, so this cannot occur in a rendered row but here.
const MARK = '\u0000is_online\u0000';
const MARKER = new RawJson(MARK);

export class RowRenderer {
  private readonly rendered = new WeakMap<ListedRow, readonly [string, string]>();

  constructor(private readonly serialize: Endpoint['serialize']) {}

  /** The row's JSON object with `is_online` = `online`. */
  row(row: ListedRow, online: boolean): string {
    let parts = this.rendered.get(row);
    if (parts === undefined) {
      const text = stringifyDrf(this.serialize(row, MARKER));
      const at = text.indexOf(MARK);
      parts = [text.slice(0, at), text.slice(at + MARK.length)];
      this.rendered.set(row, parts);
    }
    return parts[0] + (online ? 'true' : 'false') + parts[1];
  }
}

/** DRF's LimitOffsetPagination envelope, keys in its order, around rows already rendered. */
export function listBody(count: number, next: string | null, previous: string | null, rows: readonly string[]): string {
  return `{"count":${count},"next":${stringifyDrf(next)},"previous":${stringifyDrf(previous)},"results":[${rows.join(',')}]}`;
}
