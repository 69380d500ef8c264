// The rows of a `COPY (select ...) TO STDOUT (FORMAT binary)` as they stream in, read straight from the
// bytes: a million users load in about a second where pg's row objects (a string parsed per field) took
// four. Binary COPY: a signature and header, then per row a 16-bit field count and per field a 32-bit length
// (-1: null) and its bytes, big-endian; a count of -1 ends the stream (PostgreSQL's "COPY" page, "Binary Format").
import { Readable } from 'node:stream';

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const ROWS_PER_TURN = 4_096;

/** A field of the current row: its bytes are buf[start, start + length); length -1 for null. */
export type Fields = Readonly<{ buf: Buffer; start: Int32Array; length: Int32Array }>;

/** Calls onRow with each row's fields (valid during the call only); yields to the event loop between chunks. */
export async function readCopyRows(stream: Readable, fieldCount: number, onRow: (fields: Fields) => void): Promise<void> {
  const start = new Int32Array(fieldCount);
  const length = new Int32Array(fieldCount);
  let pending: Buffer = Buffer.alloc(0);
  let headerRead = false;
  let ended = false;
  for await (const chunk of stream) {
    const buf = pending.length === 0 ? (chunk as Buffer) : Buffer.concat([pending, chunk as Buffer]);
    let p = 0;
    if (!headerRead) {
      if (buf.length < 19) {
        pending = buf;
        continue;
      }
      if (!buf.subarray(0, 11).equals(SIGNATURE)) throw new Error('not a binary COPY stream');
      p = 19 + buf.readInt32BE(15);
      headerRead = true;
    }
    for (let rows = 1; ; rows++) {
      const end = rowEnd(buf, p, fieldCount, start, length);
      if (end === -2) {
        ended = true;
        break;
      }
      if (end < 0) break;
      onRow({ buf, start, length });
      p = end;
      // A chunk may hold a megabyte when the socket ran ahead: a few thousand rows per turn of the event loop.
      if (rows % ROWS_PER_TURN === 0) await new Promise(setImmediate);
    }
    pending = ended ? Buffer.alloc(0) : buf.subarray(p);
    await new Promise(setImmediate);
  }
  if (!ended) throw new Error('the COPY stream ended before its trailer');
}

/** Where the row at p ends, its fields noted; -1 when the buffer holds only part of it, -2 at the trailer. */
function rowEnd(buf: Buffer, p: number, fieldCount: number, start: Int32Array, length: Int32Array): number {
  if (p + 2 > buf.length) return -1;
  const n = buf.readInt16BE(p);
  if (n === -1) return -2;
  if (n !== fieldCount) throw new Error(`a COPY row of ${n} fields, ${fieldCount} expected`);
  let q = p + 2;
  for (let i = 0; i < n; i++) {
    if (q + 4 > buf.length) return -1;
    const len = buf.readInt32BE(q);
    q += 4;
    start[i] = q;
    length[i] = len;
    if (len > 0) q += len;
    if (q > buf.length) return -1;
  }
  return q;
}

/** An int8 field as a number when exact (|id| < 2^53), else as decimal text. */
export function readId(f: Fields, i: number): number | string {
  const at = f.start[i] as number;
  const hi = f.buf.readInt32BE(at);
  const lo = f.buf.readUInt32BE(at + 4);
  return hi >= -(2 ** 21) && hi < 2 ** 21 ? hi * 2 ** 32 + lo : f.buf.readBigInt64BE(at).toString();
}

/** PostgreSQL's epoch (2000-01-01) in Unix epoch µs: a binary timestamptz is µs from it. */
const PG_EPOCH_MICROS = 946_684_800_000_000;

/**
 * A timestamptz field as Unix epoch µs, null for null; ±Infinity when not exact as a number (past 2^53 µs from
 * 1970, `infinity` included): the caller cannot hold it. Read raw, it costs PostgreSQL nothing; `extract(epoch
 * ...)` took half the load's COPY (a numeric per value).
 */
export function readTimestamp(f: Fields, i: number): number | null {
  if ((f.length[i] as number) < 0) return null;
  const at = f.start[i] as number;
  const hi = f.buf.readInt32BE(at);
  if (hi < -(2 ** 21) || hi >= 2 ** 21) return hi < 0 ? -Infinity : Infinity;
  // Both terms are exact integers, so is their sum while it stays within 2^53 (the caller checks that).
  return hi * 2 ** 32 + f.buf.readUInt32BE(at + 4) + PG_EPOCH_MICROS;
}

export const readInt = (f: Fields, i: number): number => f.buf.readInt32BE(f.start[i] as number);
export const readText = (f: Fields, i: number): string => ((f.length[i] as number) <= 0 ? '' : f.buf.toString('utf8', f.start[i] as number, (f.start[i] as number) + (f.length[i] as number)));
