// DRF's TokenAuthentication header parsing.
import { tokenKey } from '../../services/api/auth';
import { ApiError } from '../../services/api/errors';

const detail = (header: string) => {
  try {
    return tokenKey(header);
  } catch (err) {
    return (err as ApiError).body.detail;
  }
};

it.each([
  ['', null],
  ['Bearer abc', null],
  ['Basic dXNlcjpwYXNz', null],
  ['Token abc', 'abc'],
  ['TOKEN abc', 'abc'],
  ['  Token \t abc  ', 'abc'],
  ['Token', 'Invalid token header. No credentials provided.'],
  ['Token  ', 'Invalid token header. No credentials provided.'],
  ['Token a b', 'Invalid token header. Token string should not contain spaces.'],
  ['Token \xff', 'Invalid token header. Token string should not contain invalid characters.'],
  ['Token \xc3\xa9', 'é'],
])('%j → %j', (header, expected) => {
  expect(detail(header)).toBe(expected);
});
