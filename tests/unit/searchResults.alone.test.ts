// services/api/index/searchResults.ts (issue 25, finding 3): a search of a short term over a million
// users, texts written while it is computed, never holds the event loop 50 ms; the same search asked
// twice at once is computed once; the searches kept are bounded by their bytes, keys included, not by a count.
// Expected answers come from a plain `includes` over the texts written here.
import { performance } from 'node:perf_hooks';
import { SearchIndex } from '../../services/api/index/searchIndex';

const USERS = 1_000_000;
const idText = (slot: number, into: Buffer, at = 0) => into.write(String(slot), at, 'latin1');
const NAMES = ['ADA', 'KEN', 'GRACE', 'LINUS', 'BARBARA', 'EDSGER', 'DONALD', 'JOHN', 'ALAN', 'RADIA'];
/** A user's text as the read model holds it: id, username, mobile, email, first and last name. */
const textOf = (slot: number, v = 0) => {
  const name = NAMES[(slot * 7 + v) % NAMES.length] as string;
  return `${slot}\x01${name}.${slot % 997}\x01+1555${slot}\x01${name}${v}@EXAMPLE.ORG\x01${name}\x01SMITH${slot % 13}`;
};
/** The texts written since the load (the others are textOf(slot)): a million strings held here would make the garbage collector's pauses, not the index's, the longest hold. */
const written = new Map<number, string>();
const textAt = (slot: number) => written.get(slot) ?? textOf(slot);
const hold = (t: string, term: string) => t.split('\x01').some((f) => f.includes(term));
const expected = (search: readonly string[]) => Array.from({ length: USERS }, (_, slot) => slot).filter((slot) => search.every((s) => hold(textAt(slot), s)));

let index: SearchIndex;
beforeAll(async () => {
  index = new SearchIndex(idText);
  for (let slot = 0; slot < USERS; slot++) index.set(slot, textOf(slot));
  await index.build(USERS);
}, 120_000);

/** Writes a text every millisecond (a user of the answer's and one not) until stopped. */
function writing(): () => number {
  let v = 0;
  const timer = setInterval(() => {
    for (const slot of [(v * 7_919) % USERS, (v * 104_729 + 3) % USERS]) {
      written.set(slot, textOf(slot, ++v));
      index.set(slot, textAt(slot));
    }
  }, 1);
  return () => {
    clearInterval(timer);
    return v;
  };
}

/**
 * The longest the event loop was held while `work` ran: for each stretch between two turns, its wall time and
 * the CPU time this process spent in it, the hold being the lesser. On the shared machine of two cores wall
 * time also counts the time other processes had the core (load averages above 10 were seen), and CPU time
 * counts the garbage collector's own threads marking beside the event loop (80 ms was seen in a stretch of a
 * few milliseconds); a stretch that did hold the loop is long by both. The greatest of each is printed.
 */
async function longestHold<T>(work: () => Promise<T>): Promise<{ result: T; holdMs: number; cpuMs: number; wallMs: number }> {
  let [cpu, wall, holdMs, cpuMs, wallMs, running] = [process.cpuUsage(), performance.now(), 0, 0, 0, true];
  const turn = () => {
    const used = process.cpuUsage(cpu);
    const [c, w] = [(used.user + used.system) / 1000, performance.now() - wall];
    [holdMs, cpuMs, wallMs] = [Math.max(holdMs, Math.min(c, w)), Math.max(cpuMs, c), Math.max(wallMs, w)];
    [cpu, wall] = [process.cpuUsage(), performance.now()];
    if (running) setImmediate(turn);
  };
  setImmediate(turn);
  const result = await work();
  // The stretch that ended with the answer is measured at the next turn.
  await new Promise(setImmediate);
  running = false;
  return { result, holdMs, cpuMs, wallMs };
}

it.each([[['Z']], [['7Q']], [['E', '1']], [['ADA', 'E', '.9']], [['EXAMPLE', 'Z']]])('answers %j exactly while texts are written, the event loop never held 50 ms', async (search) => {
  const stop = writing();
  const { result, holdMs, cpuMs, wallMs } = await longestHold(() => {
    const answer = index.exact(index.terms(search));
    // Texts written before the computation's first turn, and more every millisecond as it goes.
    for (const slot of [17, 123_456, 999_999]) index.set(slot, written.set(slot, `${slot}\x01${search.join('')}\x01`).get(slot) as string);
    return answer;
  });
  const writes = stop();
  console.log(`${JSON.stringify(search)}: ${writes + 3} texts written meanwhile; longest hold ${holdMs.toFixed(1)} ms (longest stretch ${cpuMs.toFixed(1)} ms of CPU, ${wallMs.toFixed(1)} ms of wall time)`);
  expect(result.toArray()).toEqual(expected(search));
  expect(holdMs).toBeLessThan(50);
}, 60_000);

it('computes a search asked twice at once only once, and both get the answer', async () => {
  const tests = jest.spyOn(SearchIndex.prototype, 'holds');
  // EXAMPLE's trigrams make every user a candidate; each is tested for EXAMPLE and Y.
  const search = ['Y', 'EXAMPLE'];
  const [a, b] = await Promise.all([index.exact(index.terms(search)), index.exact(index.terms([...search].reverse()))]);
  const calls = tests.mock.calls.length;
  tests.mockRestore();
  expect(a.toArray()).toEqual(expected(search));
  expect(b.toArray()).toEqual(a.toArray());
  expect(calls).toBeLessThanOrEqual(USERS * 1.01);
}, 60_000);

it('keeps a few dozen searches asked in turn (not only the last 32), each answered again without a text tested', async () => {
  const searches = Array.from({ length: 48 }, (_, i) => [`ADA.${100 + i}`]);
  for (const s of searches) await index.exact(index.terms(s));
  const tests = jest.spyOn(SearchIndex.prototype, 'holds');
  for (const s of searches) expect((await index.exact(index.terms(s))).toArray()).toEqual(expected(s));
  const calls = tests.mock.calls.length;
  tests.mockRestore();
  expect(calls).toBe(0);
}, 120_000);

it('bounds the searches kept by their bytes, their keys counted', async () => {
  // Terms of 100 kB (a 30 kB query string is a request a client may send) with no trigram in any text: cheap
  // to answer, costly to keep. 400 of them are 40 MB of keys.
  for (let i = 0; i < 400; i++) await index.exact(index.terms([`${'Q'.repeat(100_000)}${i}`, 'Q']));
  expect(index.memory()['searches kept']).toBeLessThanOrEqual(16 * 2 ** 20);
  expect(index.memory()['searches kept']).toBeGreaterThan(8 * 2 ** 20);
}, 120_000);
