// The callers compare asks as: one token per role, read from a file of `ROLE=TOKEN` lines (`#` comments; an
// empty token asks without one). A token is a password: it is sent in the Authorization header and nowhere
// else; errors about the file name a line number, never its text.
import { readFileSync } from 'node:fs';

export type Role = { name: string; token: string | null };

export class TokensFileError extends Error {}

export function readTokensFile(file: string): Role[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new TokensFileError(`cannot read the tokens file ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  return parseTokens(text);
}

export function parseTokens(text: string): Role[] {
  const roles: Role[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const eq = line.indexOf('=');
    const name = eq < 0 ? '' : line.slice(0, eq).trim();
    const token = eq < 0 ? '' : line.slice(eq + 1).trim();
    if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new TokensFileError(`tokens file, line ${i + 1}: expected ROLE=TOKEN (a role name of letters, digits, _ . -)`);
    if (/\s/.test(token)) throw new TokensFileError(`tokens file, line ${i + 1}: a token has no spaces`);
    if (!/^[\x21-\x7e]*$/.test(token)) throw new TokensFileError(`tokens file, line ${i + 1}: a token is printable ASCII`);
    if (roles.some((r) => r.name === name)) throw new TokensFileError(`tokens file, line ${i + 1}: role ${name} is given twice`);
    roles.push({ name, token: token === '' ? null : token });
  });
  if (roles.length === 0) throw new TokensFileError('the tokens file names no role');
  return roles;
}
