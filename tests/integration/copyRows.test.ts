// services/api/index/copyRows.ts: a binary COPY from PostgreSQL read in chunks cut anywhere (every row split
// across chunks somewhere in the run), and timestamps read raw: each compared with what PostgreSQL itself says
// of the same rows as text, parsed here by hand.
import { Readable } from 'node:stream';
import { Client } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { readCopyRows, readId, readText, readTimestamp } from '../../services/api/index/copyRows';
import { databaseUrlFor, TEMPLATE_DB_VAR } from '../helpers/runEnv';

const VALUES = `(values
  (1::int8, '2026-03-04 05:06:07.123456+00'::timestamptz, 'ada'),
  (-5, '1999-12-31 23:59:59.999999+00', ''),
  (9007199254740993, '2000-01-01 00:00:00+00', 'grace'),
  (2, '1970-01-01 00:00:00.000001+00', null),
  (3, null, 'x'),
  (4, '1700-06-01 12:00:00+00', 'past'),
  (5, '2250-06-01 12:00:00.5+00', 'future'),
  (6, 'infinity', 'inf'),
  (7, '-infinity', '-inf')
) as v(id, at, s)`;

let client: Client;
beforeAll(async () => {
  client = new Client({ connectionString: databaseUrlFor(process.env[TEMPLATE_DB_VAR] as string) });
  await client.connect();
});
afterAll(() => client.end());

/** Epoch µs of PostgreSQL's text for a timestamp ('2026-03-04 05:06:07.123456+00'), worked out here; ±Infinity for infinity. */
function micros(text: string | null): number | null {
  if (text === null) return null;
  if (text === 'infinity' || text === '-infinity') return text === 'infinity' ? Infinity : -Infinity;
  const m = /^(\d+)-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d+))?\+00$/.exec(text);
  if (m === null) throw new Error(`unexpected timestamp text ${text}`);
  const [, y, mo, d, h, mi, s, frac] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  return ms * 1000 + Number((frac ?? '').padEnd(6, '0'));
}

async function copied(chunkSizes: () => number): Promise<Array<[string, number | null, string]>> {
  const whole: Buffer[] = [];
  for await (const c of client.query(copyTo(`copy (select id, at, s from ${VALUES} order by id) to stdout (format binary)`))) whole.push(c as Buffer);
  const bytes = Buffer.concat(whole);
  const chunks: Buffer[] = [];
  for (let p = 0; p < bytes.length;) {
    const n = Math.max(1, chunkSizes());
    chunks.push(bytes.subarray(p, p + n));
    p += n;
  }
  const rows: Array<[string, number | null, string]> = [];
  await readCopyRows(Readable.from(chunks), 3, (f) => rows.push([String(readId(f, 0)), readTimestamp(f, 1), readText(f, 2)]));
  return rows;
}

it('reads every row and timestamp as PostgreSQL states them, however the stream is cut', async () => {
  await client.query('set timezone = utc');
  const { rows } = await client.query<{ id: string; at: string | null; s: string | null }>(`select id::text, at::text, s from ${VALUES} order by id`);
  const expected = rows.map((r) => [r.id, micros(r.at), r.s ?? ''] as const);
  // Whole, in chunks of one byte, of a few bytes, and of random sizes (a row cut at every place at least once).
  let seed = 7;
  const random = () => (seed = (seed * 48271) % 2147483647) % 97;
  for (const sizes of [() => 1 << 20, () => 1, () => 3, () => 17, random]) expect(await copied(sizes)).toEqual(expected);
});
