// Searches of one- and two-character terms over N users' texts (issue 25): the index's answer (a union of
// the trigrams' bitmaps that hold the term, plus the users with a field too short for a trigram, tested)
// against testing every text, both in CPU time, each answer checked against the scan; and what bitmaps per
// character and per pair of characters would hold instead. Texts as bench/millionUsers.ts makes them, with
// a few names of two letters so that short fields are not rare.
// npm run --silent build && node dist/bench/shortTerms.js [users, 200000]
import { RoaringBitmap32 } from 'roaring';
import { SearchIndex } from '../services/api/index/searchIndex';
import { rng } from '../shared/random';

const N = Number(process.argv[2] ?? 200_000);
const FIRST = ['Ada', 'Linus', 'Grace', 'Ken', 'Barbara', 'Dennis', 'Margaret', 'Alan', 'Frances', 'Edsger', 'Radia', 'Niklaus', 'Al', 'Bo'];
const LAST = ['Lovelace', 'Torvalds', 'Hopper', 'Thompson', 'Liskov', 'Ritchie', 'Hamilton', 'Turing', 'Allen', 'Dijkstra', 'Perlman', 'Wirth', 'Li', 'Wu'];
const SEARCHES = [['A'], ['Q'], ['7'], ['AD'], ['QZ'], ['@E'], ['99'], ['LI'], ['WU', 'A'], ['E', '1'], ['ADA', 'L'], ['HOPPER', '7']];
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const MB = (n: number) => (n / 2 ** 20).toFixed(1);

function texts(): string[] {
  const r = rng(2026);
  const pick = (xs: readonly string[]) => xs[Math.floor(r() * xs.length)] as string;
  return Array.from({ length: N }, (_, i) => {
    const [id, first, last] = [i + 1, pick(FIRST), pick(LAST)];
    const u = `${first}.${last}${id}`.toLowerCase();
    const named = r() < 0.7;
    return [String(id), u, r() < 0.6 ? `+1555${String(id).padStart(7, '0')}` : '', r() < 0.9 ? `${u}@example.com` : '', named ? first : '', named ? last : ''].join('\x01').toUpperCase();
  });
}

/** Bytes of one bitmap per character and one per pair of characters of a field (run-optimised). */
function perCharacterBytes(all: readonly string[]): { chars: number; pairs: number; short: number } {
  const [chars, pairs] = [new Map<number, number[]>(), new Map<number, number[]>()];
  let short = 0;
  all.forEach((t, slot) => {
    const [c, p] = [new Set<number>(), new Set<number>()];
    const fields = t.split('\x01');
    if (fields.some((f) => f.length === 1 || f.length === 2)) short++;
    for (const f of fields) for (let i = 0; i < f.length; i++) {
      c.add(f.charCodeAt(i));
      if (i > 0) p.add((f.charCodeAt(i - 1) << 8) | f.charCodeAt(i));
    }
    for (const [map, keys] of [[chars, c], [pairs, p]] as const) for (const k of keys) (map.get(k) ?? map.set(k, []).get(k))!.push(slot);
  });
  const bytes = (m: Map<number, number[]>) => [...m.values()].reduce((n, l) => {
    const b = new RoaringBitmap32(l);
    b.runOptimize();
    return n + b.getSerializationSizeInBytes('croaring') + 48;
  }, 0);
  return { chars: bytes(chars), pairs: bytes(pairs), short };
}

async function main(): Promise<void> {
  const all = texts();
  const index = new SearchIndex((slot, into, at = 0) => into.write(String(slot + 1), at, 'latin1'));
  all.forEach((t, slot) => index.set(slot, t));
  await index.build(N);
  const m = index.memory();
  const extra = perCharacterBytes(all);
  console.log(`${N} users: search texts ${MB(m['search texts'] as number)} MB, trigram bitmaps ${MB(m['trigram bitmaps'] as number)} MB; per character ${MB(extra.chars)} MB, per pair ${MB(extra.pairs)} MB would be added; ${extra.short} users with a field of 1-2 characters`);
  console.log('| search | users | every text tested (ms CPU) | the index (ms CPU) |\n|---|---:|---:|---:|');
  for (const search of SEARCHES) {
    const terms = index.terms(search);
    let at = cpuMs();
    const scanned: number[] = [];
    for (let slot = 0; slot < N; slot++) if (index.holdsAll(slot, terms)) scanned.push(slot);
    const scan = cpuMs() - at;
    at = cpuMs();
    const found = await index.exact(terms);
    const own = cpuMs() - at;
    if (found.size !== scanned.length || !scanned.every((s) => found.has(s))) throw new Error(`${search.join(' ')}: ${found.size} found, ${scanned.length} by the scan`);
    console.log(`| ${search.join(' ')} | ${found.size} | ${scan.toFixed(1)} | ${own.toFixed(1)} |`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
