// A synthetic `manage.py dumpdata` of N users, written as Django writes it (YAML as PyYAML lays it out, or JSON
// Lines): groups with permissions, DRF tokens (every other user, after all the users, as an app listed later
// dumps them), memberships, direct permissions, inviters. Deterministic for a given N.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

export type DumpShape = { users: number; groups: number };

function userFields(i: number, groups: number) {
  const t = new Date(Date.UTC(2023, 0, 1) + i * 1_000).toISOString().replace('Z', `${String(i % 1000).padStart(3, '0')}Z`);
  return {
    password: '!unusable', last_login: i % 3 === 0 ? null : t, is_superuser: false, username: `user${i}`,
    mobile_number: i % 5 === 0 ? '' : `+1555${i}`, email: i % 7 === 0 ? null : `user${i}@example.com`, is_email_verified: i % 2 === 0,
    avatar: i % 4 === 0 ? null : `avatars/${i}.png`, first_name: 'Ada', last_name: i % 6 === 0 ? '' : 'Lovelace',
    gender: ['male', 'female', 'other', null][i % 4], invited_by: i > 10 && i % 3 === 0 ? i - 7 : null,
    invite_code: i % 10 === 0 ? `C${i}` : null, is_active: i % 50 !== 0, is_staff: i % 20 === 0, is_admin: i === 1,
    created_at: t, updated_at: t, groups: i % 4 === 0 ? [1 + (i % groups)] : [], user_permissions: i % 20 === 0 ? [1222] : [],
  };
}

/** As PyYAML writes them: timestamps plain with a space and an offset, text that would read as something else quoted. */
function yamlValue(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v !== 'string') return String(v);
  if (/^\d{4}-\d\d-\d\dT.*Z$/.test(v)) return `${v.slice(0, 10)} ${v.slice(11, -1)}+00:00`;
  return /^[\d!+]|^$/.test(v) ? `'${v}'` : v;
}

function yamlRow(model: string, pk: number | string, fields: Record<string, unknown>): string {
  const lines = [`- model: ${model}`, `  pk: ${yamlValue(pk)}`, '  fields:'];
  for (const [k, v] of Object.entries(fields)) {
    if (Array.isArray(v)) lines.push(v.length === 0 ? `    ${k}: []` : `    ${k}:\n${v.map((x) => `    - ${x}`).join('\n')}`);
    else lines.push(`    ${k}: ${yamlValue(v)}`);
  }
  return `${lines.join('\n')}\n`;
}

const jsonRow = (model: string, pk: number | string, fields: Record<string, unknown>) => `${JSON.stringify({ model, pk, fields })}\n`;

export async function writeDump(file: string, format: 'yaml' | 'jsonl', shape: DumpShape): Promise<void> {
  const out = createWriteStream(file);
  const row = format === 'yaml' ? yamlRow : jsonRow;
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(row('auth.permission', 1222, { name: 'Can list users', content_type: 6, codename: 'list_users' }));
  for (let g = 1; g <= shape.groups; g++) await write(row('auth.group', g, { name: `Group ${g}`, permissions: g === 1 ? [1222] : [] }));
  for (let i = 1; i <= shape.users; i++) await write(row('accounts.user', i, userFields(i, shape.groups)));
  for (let i = 1; i <= shape.users; i += 2) await write(row('authtoken.token', `${i.toString(16).padStart(40, '0')}`, { user: i, created: '2024-01-01T00:00:00Z' }));
  out.end();
  await once(out, 'close');
}
