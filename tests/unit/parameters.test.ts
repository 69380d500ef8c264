import { parseBoolean, parseChoice, parseDate, parseWholeNumber, parseWholeNumberList, searchTerms } from '../../services/api/listing/parse/parameters';
import { searchCondition, searchedTerms } from '../../services/api/listing/parse/filters';

const value = <T>(p: { ok: true; value: T } | { ok: false; message: string }) => (p.ok ? p.value : p.message);

it.each([
  ['5', 5n], ['+5', 5n], [' 7', 7n], ['05', 5n], ['-3', -3n], ['  12  ', 12n], ['99999999999999999999', 99999999999999999999n],
  ['1.0', 'Enter a whole number.'], ['1.5', 'Enter a whole number.'], ['1e3', 'Enter a whole number.'], ['abc', 'Enter a whole number.'],
  ['', 'Enter a whole number.'], ['+', 'Enter a whole number.'], ['٣', 'Enter a whole number.'], ['0x10', 'Enter a whole number.'], ['1_000', 'Enter a whole number.'],
])('whole number %p → %p', (text, expected) => expect(value(parseWholeNumber(text))).toEqual(expected));

it.each([
  ['true', true], ['True', true], ['TRUE', true], ['1', true], ['false', false], ['False', false], ['0', false],
  ['yes', 'Select a valid choice.'], ['on', 'Select a valid choice.'], [' true', 'Select a valid choice.'], ['2', 'Select a valid choice.'],
])('boolean %j → %j', (text, expected) => expect(value(parseBoolean(text))).toEqual(expected));

it.each([
  ['2026-02-21', '2026-02-21'], ['2024-02-29', '2024-02-29'], ['2000-02-29', '2000-02-29'], ['0001-01-01', '0001-01-01'],
  ['1900-02-29', 'Enter a valid date.'], ['2026-02-29', 'Enter a valid date.'], ['2026-04-31', 'Enter a valid date.'],
  ['2026-00-10', 'Enter a valid date.'], ['0000-01-01', 'Enter a valid date.'], ['26-02-21', 'Enter a valid date.'], ['2026-02-21 ', 'Enter a valid date.'],
])('date %j → %j', (text, expected) => expect(value(parseDate(text))).toEqual(expected));

it('reads a choice case-insensitively and names the value given when it is bad', () => {
  const gender = parseChoice(['male', 'female', 'other']);
  expect(value(gender('FEMALE'))).toBe('female');
  expect(value(gender('Robot'))).toBe('Select a valid choice. Robot is not one of the available choices.');
});

it('reads comma-separated whole numbers, ignoring empty items', () => {
  expect(value(parseWholeNumberList('1,,2, 3,'))).toEqual([1n, 2n, 3n]);
  expect(value(parseWholeNumberList(','))).toEqual([]);
  expect(value(parseWholeNumberList('1,a'))).toBe('Enter a whole number.');
});

it.each([
  ['ada', ['ada']],
  ['ada lovelace', ['ada', 'lovelace']],
  ['ada,lovelace', ['ada', 'lovelace']],
  [' ,ada,, \t lovelace\u3000x ', ['ada', 'lovelace', 'x']],
  ['a\u0000b', ['ab']],
  ['\ufeff', ['\ufeff']],
  [' , ', []],
])('search %j splits into %j', (text, terms) => expect(searchTerms(text)).toEqual(terms));

it('escapes LIKE wildcards in search terms and binds every term', () => {
  const c = searchCondition(searchedTerms('50%_a\\b x'));
  expect(c?.bindings).toEqual([...Array(7).fill('%50\\%\\_a\\\\b%'), ...Array(7).fill('%x%')]);
  expect(searchCondition(searchedTerms(' , '))).toBeNull();
});
