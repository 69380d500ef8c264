// services/api/index/slots.ts and idColumn.ts: any 64-bit id held in 4 bytes a slot while the ids fit 32 bits
// above the first, widened to 8 (values kept) when one does not; ids found by search (no table by id), and each
// id's text written as String/BigInt would.
import { Slots } from '../../services/api/index/slots';
import { IdColumn } from '../../services/api/index/idColumn';

const IDS = [-(2n ** 63n), -10n, -1n, 0n, 7n, 10n, 2n ** 31n, 2n ** 32n + 5n, 2n ** 53n - 1n, 2n ** 53n + 1n, 2n ** 63n - 1n];
const key = (id: bigint) => (Number.isSafeInteger(Number(id)) ? Number(id) : String(id));

it('writes each id\'s decimal text as BigInt does, at any place of the buffer', () => {
  const slots = new Slots();
  for (const id of IDS) slots.add(key(id));
  const into = Buffer.alloc(64);
  IDS.forEach((id, slot) => {
    const n = slots.writeId(slot, into, 3);
    expect(into.toString('latin1', 3, 3 + n)).toBe(id.toString());
  });
});

it('finds every id, sorted or come later, and none it does not hold', () => {
  const slots = new Slots();
  const sorted = [1n, 5n, 6n, 1000n, 10n ** 12n, 2n ** 53n + 1n, 2n ** 53n + 3n];
  for (const id of sorted) slots.add(key(id));
  for (const id of [3n, -4n, 2n ** 53n + 2n]) slots.add(key(id));
  [...sorted, 3n, -4n, 2n ** 53n + 2n].forEach((id, slot) => expect(slots.slotOf(id.toString())).toBe(slot));
  for (const id of [0n, 2n, 7n, 999n, 2n ** 53n, 2n ** 53n + 4n, 2n ** 63n - 1n]) expect(slots.slotOf(id.toString())).toBeUndefined();
});

it('holds ids in 4 bytes a slot while they fit 32 bits above the first, and keeps every value when it widens', () => {
  const column = new IdColumn();
  column.grow(100_000);
  for (let slot = 0; slot < 1_000; slot++) column.set(slot, 5_000_000_000 + slot * 4_000_000);
  expect(column.bytes).toBe(400_000);
  column.set(1_000, 5); // below the first: no longer 32 bits above it
  expect(column.bytes).toBe(800_000);
  for (let slot = 0; slot < 1_000; slot++) expect(column.get(slot)).toBe(5_000_000_000 + slot * 4_000_000);
  expect(column.get(1_000)).toBe(5);
});
