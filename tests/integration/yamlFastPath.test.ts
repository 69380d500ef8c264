// The YAML fast path (services/import/yamlFastPath.ts) against the general reader, on items PyYAML itself wrote
// (Debian's python3-yaml, which Django's dumpdata uses): whatever the fast path reads, it reads as the general
// reader does, and it does read the ordinary rows.
import { spawnSync } from 'node:child_process';
import { parseYamlText } from '../../services/import/dumpFormats';
import { readSimpleItem } from '../../services/import/yamlFastPath';

const TEXTS = [
  'plain', 'Ada Lovelace', 'y', 'n', 'Y', 'yes', 'No', 'on', 'OFF', 'true', 'null', 'Null', '~', '', ' lead', 'trail ', 'a: b', 'a:b',
  'a #b', 'a#b', "it's", "'", "''", '"dq"', 'multi\nline', 'tab\there', `${'word '.repeat(30)}end`, 'zoë', '🙂'.repeat(3), '0o17',
  '1e3', '12e5', '0x1A', '0b101', '1_000', '190:20:30', '.inf', '.5', '-', '- x', '-1', '+5', '007', '[a]', '{a}', '&a', '*a', '!t',
  '|', '>', '%', '@', '`', '?', ',', '=', '<<', '2024-01-01', '2024-01-01 10:00:00', '9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b',
  'deadbeef', 'x'.repeat(200), 'ends:', 'back\\slash', '\u2028sep', 'café #1',
];

const PYTHON = `
import sys, json, datetime, yaml
texts = json.load(sys.stdin)
utc = datetime.timezone.utc
rows = [{'model': 'accounts.user', 'pk': i + 1, 'fields': {
    'username': t, 'first_name': t, 'groups': [1, 9007199254740993] if i % 2 else [], 'is_active': i % 3 == 0,
    'last_login': None if i % 2 else datetime.datetime(2024, 1, 2, 3, 4, 5, i * 1000 % 1000000, tzinfo=utc),
    'invited_by': None if i % 4 else 9007199254740993, 'tags': [t]}} for i, t in enumerate(texts)]
rows.append({'model': 'authtoken.token', 'pk': '9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b', 'fields': {'user': 1}})
sys.stdout.write(yaml.safe_dump(rows, allow_unicode=True, default_flow_style=False, sort_keys=False))
`;

function pyyamlItems(): string[][] {
  const r = spawnSync('/usr/bin/python3', ['-c', PYTHON], { input: JSON.stringify(TEXTS), encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) throw new Error(r.stderr);
  const items: string[][] = [];
  for (const line of r.stdout.trimEnd().split('\n')) {
    if (line.startsWith('- ')) items.push([]);
    items[items.length - 1]!.push(line);
  }
  return items;
}

it('reads every item it accepts as the general reader does', () => {
  const items = pyyamlItems();
  expect(items).toHaveLength(TEXTS.length + 1);
  let read = 0;
  for (const lines of items) {
    const fast = readSimpleItem(lines);
    if (fast === undefined) continue;
    read++;
    expect(fast).toEqual((parseYamlText(lines.join('\n')) as unknown[])[0]);
  }
  // The ordinary ones are read by the fast path: plain words, quoted ones, timestamps, the token.
  expect(read).toBeGreaterThan(TEXTS.length / 2);
});

it('reads an ordinary user row and a token whose key starts with a digit', () => {
  const items = pyyamlItems();
  expect(readSimpleItem(items[0]!)).toBeDefined();
  expect(readSimpleItem(items[items.length - 1]!)?.pk).toBe('9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b');
});
