// The tokens file: one role a line; a mistake named by its line, never by the token in it.
import { parseTokens } from '../../../services/compare/tokens';

it('reads one role a line, comments and blank lines aside; an empty token asks without one', () => {
  expect(parseTokens('# roles\nadmin=0123abcd\n\n  staff_1222 = k-2 \nanonymous=\n')).toEqual([
    { name: 'admin', token: '0123abcd' }, { name: 'staff_1222', token: 'k-2' }, { name: 'anonymous', token: null },
  ]);
});

it('refuses a bad line, naming its number and never the token', () => {
  const refused = (text: string) => {
    try {
      parseTokens(text);
    } catch (err) {
      return (err as Error).message;
    }
    return 'accepted';
  };
  expect(refused('admin=ok\nsecret-no-role\n')).toBe('tokens file, line 2: expected ROLE=TOKEN (a role name of letters, digits, _ . -)');
  expect(refused('admin=secret part\n')).toBe('tokens file, line 1: a token has no spaces');
  expect(refused('admin=secrét\n')).toBe('tokens file, line 1: a token is printable ASCII');
  expect(refused('admin=secret1\nadmin=secret2\n')).toBe('tokens file, line 2: role admin is given twice');
  expect(refused('# nothing\n')).toBe('the tokens file names no role');
});
