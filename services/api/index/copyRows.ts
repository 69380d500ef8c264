// The rows of a `COPY (select ...) TO STDOUT (FORMAT binary)` as they stream in, read straight from the
// bytes: a million users load in about a second where pg's row objects (a string parsed per field) took
// four. Binary COPY: a signature and header, then per row a 16-bit field count and per field a 32-bit length
// (-1: null) and its bytes, big-endian; a count of -1 ends the stream (PostgreSQL's "COPY" page, "Binary Format").
import { Readable } from 'node:stream';

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const ROWS_PER_TURN = 4_096;
const EMPTY = Buffer.alloc(0);

/** A field of the current row: its bytes are buf[start, start + length); length -1 for null. */
export type Fields = Readonly<{ buf: Buffer; start: Int32Array; length: Int32Array }>;

/** Calls onRow with each row's fields (valid during the call only); yields to the event loop between chunks. */
export async function readCopyRows(stream: Readable, fieldCount: number, onRow: (fields: Fields) => void): Promise<void> {
  const start = new Int32Array(fieldCount);
  const length = new Int32Array(fieldCount);
  let pending: Buffer = EMPTY;
  let headerRead = false;
  let ended = false;
  // Read to the stream's end even past the trailer: leaving early would cut the COPY off its connection.
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (ended) continue;
    let buf = chunk;
    let p = 0;
    if (!headerRead) {
      buf = Buffer.concat([pending, chunk]);
      if (buf.length < 19) {
        pending = buf;
        continue;
      }
      if (!buf.subarray(0, 11).equals(SIGNATURE)) throw new Error('not a binary COPY stream');
      p = 19 + buf.readInt32BE(15);
      headerRead = true;
    } else if (pending.length > 0) {
      // The row cut between two chunks, joined with only as much of this one as it needs.
      const row = straddling(pending, chunk, fieldCount, start, length);
      if (row === null) {
        pending = Buffer.concat([pending, chunk]);
        continue;
      }
      ended = row.end === -2;
      if (ended) continue;
      onRow({ buf: row.buf, start, length });
      p = row.end - pending.length;
    }
    const rest = await eachRow(buf, p, fieldCount, { buf, start, length }, onRow);
    ended = rest === true;
    pending = rest === true ? EMPTY : buf.subarray(rest);
    await new Promise(setImmediate);
  }
  if (!ended) throw new Error('the COPY stream ended before its trailer');
}

/** The rows of buf from p, a few thousand per turn of the event loop: true at the trailer, else where the last whole row ends. */
async function eachRow(buf: Buffer, p: number, fieldCount: number, fields: Fields, onRow: (fields: Fields) => void): Promise<number | true> {
  for (let rows = 1; ; rows++) {
    const end = rowEnd(buf, p, fieldCount, fields.start, fields.length);
    if (end === -2) return true;
    if (end < 0) return p;
    onRow(fields);
    p = end;
    // A chunk may hold a megabyte when the socket ran ahead.
    if (rows % ROWS_PER_TURN === 0) await new Promise(setImmediate);
  }
}

/**
 * The row begun in `pending` and ended in `chunk`, in a buffer of it alone (joining the whole chunk copied every
 * byte once more): its end there (-2: the trailer), or null when it goes on past this chunk too.
 */
function straddling(pending: Buffer, chunk: Buffer, fieldCount: number, start: Int32Array, length: Int32Array): { buf: Buffer; end: number } | null {
  for (let take = Math.min(chunk.length, 256); ; take = Math.min(chunk.length, take * 4)) {
    const buf = Buffer.concat([pending, chunk.subarray(0, take)]);
    const end = rowEnd(buf, 0, fieldCount, start, length);
    if (end !== -1) return { buf, end };
    if (take === chunk.length) return null;
  }
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
  // Within about 140 years of 2000 every step is exact in a double; past that (or infinity), a bigint decides.
  if (hi >= -(2 ** 20) && hi < 2 ** 20) return hi * 2 ** 32 + f.buf.readUInt32BE(at + 4) + PG_EPOCH_MICROS;
  const micros = f.buf.readBigInt64BE(at) + BigInt(PG_EPOCH_MICROS);
  const safe = BigInt(Number.MAX_SAFE_INTEGER);
  return micros > safe ? Infinity : micros < -safe ? -Infinity : Number(micros);
}

export const readInt = (f: Fields, i: number): number => f.buf.readInt32BE(f.start[i] as number);
export const readText = (f: Fields, i: number): string => ((f.length[i] as number) <= 0 ? '' : f.buf.toString('utf8', f.start[i] as number, (f.start[i] as number) + (f.length[i] as number)));
