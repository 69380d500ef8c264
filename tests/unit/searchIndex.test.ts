// services/api/index/searchIndex.ts: the users a search finds, from the trigram bitmaps built at a load and
// kept as texts change, compared with a plain `includes` over the same texts written here.
import { SearchIndex } from '../../services/api/index/searchIndex';
import { FieldsOf, TrigramLists, trigram } from '../../services/api/index/trigrams';
import { SPLIT_FROM } from '../../services/api/index/trigramBuild';

/** Slots are dense (index/slots.ts): a slot past the others, with a gap before it. */
const FAR = 9;
const TEXTS: Record<number, string> = {
  1: '1\x01ADA.HOPPER1\x01\x01ADA@EXAMPLE.COM\x01ADA\x01HOPPER',
  2: '2\x01KEN.RITCHIE2\x01+15550002\x01\x01KEN\x01RITCHIE',
  3: '3\x01GRACE3\x01\x01GRACE@EXAMPLE.COM\x01GRACE\x01',
  7: '7\x01ÉLODIE7\x01\x01\x01ÉLODIE\x01ADA',
  [FAR]: `${FAR}\x01FAR.ADA\x01\x01\x01\x01`,
};

/** The slot's id as the index's slots write it: here the slot itself, the first field of every text above. */
const idText = (slot: number, into: Buffer, at = 0) => into.write(String(slot), at, 'latin1');

async function built(texts: Record<number, string> = TEXTS, slots = 16): Promise<SearchIndex> {
  const index = new SearchIndex(idText);
  for (const [id, text] of Object.entries(texts)) index.set(Number(id), text);
  await index.build(slots);
  return index;
}

/** The ids the index finds for these (folded) terms: candidates that hold every term. */
function found(index: SearchIndex, search: string[]): number[] {
  const terms = index.terms(search);
  const candidates = index.candidates(terms);
  const pool = candidates === null ? [...Array(16).keys()] : candidates.toArray();
  return pool.filter((id) => index.holds(id, terms));
}

function expected(texts: Record<number, string>, search: string[]): number[] {
  return Object.entries(texts).filter(([, t]) => search.every((s) => t.split('\x01').some((f) => f.includes(s)))).map(([id]) => Number(id)).sort((a, b) => a - b);
}

it.each([
  [['ADA']], [['HOPPER']], [['ADA', 'HOPPER']], [['EXAMPLE', 'GRACE']], [['ADA', 'KEN']], [['555000']], [['LODIE']],
  [['A']], [['AD']], [['E', 'CE']], [['ZQX']], [['FAR.ADA']], [['1']], [['DA', 'ADA@']], [['KEN', 'ADA']], [['ADA', 'EXAMPLE', 'COM']], [['KEN', 'A']], [['HOPPER', 'Z']],
])('finds the users whose text holds %j', async (search) => {
  expect(found(await built(), search)).toEqual(expected(TEXTS, search));
});

it('never finds a term across the separator between two fields', async () => {
  expect(found(await built(), ['HOPPER1'])).toEqual([1]);
  expect(found(await built(), ['COM\x02ADA'])).toEqual([]);
  expect(found(await built({ 5: 'ABC\x01DEF' }), ['CDE'])).toEqual([]);
});

it('finds users whose text changed or who arrived after the build, and forgets what a user no longer holds', async () => {
  const index = await built();
  const now = { ...TEXTS, 1: '1\x01KEN.RENAMED1\x01\x01\x01\x01', 9: '9\x01NEW.ADA9\x01\x01\x01\x01', 3: '' };
  for (const id of [1, 9, 3]) index.set(id, now[id as 1 | 9 | 3]);
  for (const search of [['ADA'], ['KEN'], ['RENAMED'], ['GRACE'], ['NEW', 'ADA'], ['EN']]) expect(found(index, search)).toEqual(expected(now, search));
});

it('asks for a rebuild once more than half of the bytes held are old texts', async () => {
  const index = await built({ 1: `1\x01${'A'.repeat(100)}`, 2: `2\x01${'B'.repeat(100)}` });
  const wants = ['C', 'D', 'E'].map((c) => {
    index.set(1, `1\x01${c.repeat(100)}`);
    return index.wantsRebuild;
  });
  expect(wants).toEqual([false, false, true]); // 300 bytes of 500 are old texts after the third change
});

it('takes a text written again unchanged as no change', async () => {
  const index = await built({ 1: `1\x01${'A'.repeat(100)}`, 2: `2\x01${'B'.repeat(100)}` });
  for (let i = 0; i < 5; i++) index.set(1, `1\x01${'A'.repeat(100)}`);
  expect(index.wantsRebuild).toBe(false);
  expect(found(index, ['AAA'])).toEqual([1]);
});

it('tests a three-character term through its own list even when other lists are rarer', async () => {
  const texts = { 1: '1\x01XYZW', 2: '2\x01XYZW\x01ABC', 3: '3\x01ABC', 4: '4\x01ABC', 5: '5\x01ABC' };
  expect(found(await built(texts), ['ABC', 'XYZW'])).toEqual([2]);
});

it('says it is full once its texts would pass the bytes it may hold (2 GB by default)', async () => {
  const index = new SearchIndex(idText, 1_000);
  index.set(1, `1\x01${'A'.repeat(300)}`);
  index.set(2, `2\x01${'B'.repeat(700)}`);
  expect(index.full).toBe(false);
  index.set(3, `3\x01${'C'.repeat(1)}`); // 1,001 bytes held (the ids' fields are not)
  expect(index.full).toBe(true);
});

/** The trigram bitmaps of slots [0, slots), `chunk` slots at a time. */
async function buildTrigrams(slots: number, fieldsOf: FieldsOf, chunk?: number) {
  const lists = new TrigramLists();
  await lists.addRange(0, slots, fieldsOf, chunk);
  return lists.finish();
}

it('builds the same trigram bitmaps a block of slots at a time as all at once', async () => {
  const texts = Array.from({ length: 40 }, (_, i) => Buffer.from(`${i}\x01USER${i % 7}\x01${'ADA'.repeat(i % 3)}\x01X${i}YZ`));
  const fieldsOf = (slot: number, visit: (b: Uint8Array, from: number, to: number) => void) => visit(texts[slot] as Buffer, 0, (texts[slot] as Buffer).length);
  const whole = await buildTrigrams(texts.length, fieldsOf);
  const blocks = await buildTrigrams(texts.length, fieldsOf, 3);
  const asArrays = (m: Map<number, { toArray: () => number[] }>) => [...m].map(([k, b]) => [k, b.toArray()]).sort((a, b) => (a[0] as number) - (b[0] as number));
  expect(asArrays(blocks)).toEqual(asArrays(whole));
  expect(whole.get(trigram(65, 68, 65))?.toArray()).toEqual(texts.flatMap((_, i) => (i % 3 === 0 ? [] : [i])));
});

describe('the searches kept (searchResults.ts)', () => {
  const exactIds = async (index: SearchIndex, search: string[]) => (await index.exact(index.terms(search))).toArray();

  it('answers a search exactly, then follows every text written after', async () => {
    const index = await built();
    for (const search of [['ADA'], ['HOPPER', 'ADA'], ['EXAMPLE'], ['A'], ['DA']]) expect(await exactIds(index, search)).toEqual(expected(TEXTS, search));
    const now = { ...TEXTS, 1: '1\x01KEN.RENAMED1\x01\x01\x01\x01', 9: '9\x01NEW.ADA9\x01HOPPER\x01\x01\x01', 3: '', 2: '2\x01ADA\x01\x01EXAMPLE\x01\x01' };
    for (const id of [1, 9, 3, 2]) index.set(id, now[id as 1 | 9 | 3 | 2]);
    for (const search of [['ADA'], ['HOPPER', 'ADA'], ['EXAMPLE'], ['A'], ['DA']]) expect(await exactIds(index, search)).toEqual(expected(now, search));
  });

  it('stays exact when a text is written while it is being computed (across turns of the event loop)', async () => {
    const texts = Object.fromEntries(Array.from({ length: 40_000 }, (_, i) => [i, `${i}\x01USER${i}\x01${i % 2 === 0 ? 'ADAM' : 'EVE'}`]));
    const index = await built(texts, 40_000);
    const pending = exactIds(index, ['ADAM']);
    index.set(1, '1\x01USER1\x01ADAM');
    index.set(39_998, '39998\x01USER39998\x01EVE');
    const now = { ...texts, 1: '1\x01USER1\x01ADAM', 39_998: '39998\x01USER39998\x01EVE' };
    expect(await pending).toEqual(expected(now, ['ADAM']));
  });
});

describe('the id\'s field, held as the slot\'s id rather than as text (searchTexts.ts)', () => {
  /** Slot → id: negative, past 2^53, and ordinary ones. */
  const IDS = ['-42', '9007199254740993', '7', '1234'];
  const idOf = (slot: number, into: Buffer, at = 0) => into.write(IDS[slot] as string, at, 'latin1');
  const texts = IDS.map((id, slot) => `${id}\x01USER${slot}\x01\x01MAIL${slot}@EXAMPLE.COM\x01\x01`);

  it('finds a term in the id as in any other field, never across its end', async () => {
    const index = new SearchIndex(idOf);
    texts.forEach((t, slot) => index.set(slot, t));
    await index.build(IDS.length);
    const find = (terms: string[]) => {
      const q = index.terms(terms);
      return [...Array(IDS.length).keys()].filter((slot) => index.holdsAll(slot, q));
    };
    const expectedOf = (terms: string[]) => texts.map((t, slot) => (terms.every((s) => t.split('\x01').some((f) => f.includes(s))) ? slot : -1)).filter((s) => s >= 0);
    for (const terms of [['-4'], ['-'], ['42'], ['2'], ['900719925474099'], ['0993'], ['7'], ['12', 'USER3'], ['34'], ['4U'], ['1234U'], ['-42U']]) expect(find(terms)).toEqual(expectedOf(terms));
  });

  it('takes the same text written again as no change, and a changed one (longer than 65,534 bytes too) as a change', async () => {
    const index = new SearchIndex(idOf);
    texts.forEach((t, slot) => index.set(slot, t));
    await index.build(IDS.length);
    index.set(0, texts[0] as string);
    expect(index.wantsRebuild).toBe(false);
    index.set(2, `7\x01${'Z'.repeat(70_000)}`);
    expect(index.holdsAll(2, index.terms(['Z'.repeat(69_999)]))).toBe(true);
    expect(index.holdsAll(2, index.terms(['USER2']))).toBe(false);
  });
});

it('builds the same bitmaps on two threads as on one, and on one when the thread fails (a load of more than SPLIT_FROM users)', async () => {
  const size = SPLIT_FROM + 70_001;
  const idOf = (slot: number, into: Buffer, at = 0) => into.write(String(slot * 3), at, 'latin1');
  const textOf = (slot: number) => `${slot * 3}\x01${['ADA', 'KEN', 'GRACE', 'LINUS'][slot % 4]}.${slot % 977}\x01${slot % 5 === 0 ? '' : `+1555${slot % 10_007}`}`;
  /** `script` null: no thread; a path: that script as the thread's. */
  const built = async (script?: string | null) => {
    const index = new SearchIndex(idOf);
    for (let slot = 0; slot < size; slot++) index.set(slot, textOf(slot));
    const prepared = index.prepare(size, script);
    await index.build(size, prepared);
    return { index, split: prepared?.split };
  };
  // A thread whose script is missing fails as it starts: this one builds its share too.
  const [two, one, failed] = [await built(), await built(null), await built(`${__dirname}/no-such-thread.js`)];
  expect([two.split, one.split, failed.split]).toEqual([true, false, true]);
  for (const term of ['ADA', 'KEN', 'RAC', '555', '123', '976', '.97', '300', '999']) {
    const [a, b] = [two.index.candidates(two.index.terms([term])), one.index.candidates(one.index.terms([term]))];
    expect(a?.toArray()).toEqual(b?.toArray());
    expect(failed.index.candidates(failed.index.terms([term]))?.toArray()).toEqual(b?.toArray());
    expect(a?.size).toBe([...Array(size).keys()].filter((slot) => textOf(slot).split('\x01').some((f) => f.includes(term))).length);
  }
});

describe('terms of one or two characters (a union of the trigrams that hold them, the users with a field too short for one tested)', () => {
  // Fields of one or two characters: ids 4 and 12, a first name "AL", a last name "LI", a username "X".
  const SHORT = { ...TEXTS, 4: '4\x01AL.LI4\x01\x01\x01AL\x01LI', 12: '12\x01X\x01\x01\x01\x01', 13: '13\x01QQ\x01\x01\x01\x01' };
  it.each([[['A']], [['AD']], [['1']], [['4']], [['12']], [['LI']], [['L', 'I']], [['X']], [['Z']], [['Q', 'QQ']], [['DA', 'E']], [['AL', 'ADA']]])('answers %j exactly', async (search) => {
    const index = await built(SHORT, 16);
    expect((await index.exact(index.terms(search))).toArray()).toEqual(expected(SHORT, search));
  });

  it('keeps the answers exact as texts change, short fields coming and going', async () => {
    const index = await built(SHORT, 16);
    const searches = [['LI'], ['X'], ['AL'], ['1']];
    for (const s of searches) await index.exact(index.terms(s));
    const now = { ...SHORT, 4: '4\x01ALAN.LIND4\x01\x01\x01ALAN\x01LIND', 2: '2\x01X\x01\x01\x01\x01', 12: '' };
    for (const slot of [4, 2, 12]) index.set(slot, now[slot as 4 | 2 | 12]);
    for (const s of searches) expect((await index.exact(index.terms(s))).toArray()).toEqual(expected(now, s));
  });
});
