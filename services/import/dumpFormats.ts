// The rows of a `manage.py dumpdata` file, read as a stream in the formats that keep what Django wrote:
// JSON (one array), JSON Lines and YAML (docs/migration.md says which to use and why). XML is not read.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import YAML, { ScalarTag } from 'yaml';
import { parseJsonExact } from '../../shared/json';
import { JsonArrayElements } from './jsonArray';
import { readSimpleItem } from './yamlFastPath';

export const DUMP_FORMATS = ['json', 'jsonl', 'yaml'] as const;
export type DumpFormat = (typeof DUMP_FORMATS)[number];
/** One serialised object: ids as Django wrote them (integers past 2^53 as bigint), fields by name. */
export type DumpRow = { model: string; pk: unknown; fields: Record<string, unknown> };

const EXTENSIONS: Record<string, DumpFormat> = { json: 'json', jsonl: 'jsonl', yaml: 'yaml', yml: 'yaml' };

/** The format given, or the one the file's name says (`users.json.gz` is JSON); standard input needs --format. */
export function formatOf(file: string, given: string | undefined): DumpFormat {
  if (given !== undefined) {
    if ((DUMP_FORMATS as readonly string[]).includes(given)) return given as DumpFormat;
    throw new Error(`--format takes ${DUMP_FORMATS.join(', ')}, got "${given}"${given === 'xml' ? ' (XML is not read: docs/migration.md)' : ''}`);
  }
  const ext = file.replace(/\.(gz)$/, '').split('.').pop() ?? '';
  if (Object.hasOwn(EXTENSIONS, ext)) return EXTENSIONS[ext] as DumpFormat;
  throw new Error(`cannot tell the format of "${file}" from its name: give --format ${DUMP_FORMATS.join('|')}`);
}

/** The dump's text, gunzipped when its name ends in .gz (dumpdata -o x.json.gz writes that). */
export function openDump(file: string): Readable {
  const raw = file === '-' ? process.stdin : createReadStream(file);
  return file.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
}

export async function* dumpRows(input: Readable, format: DumpFormat): AsyncGenerator<DumpRow> {
  const values = format === 'json' ? jsonArray(input) : format === 'jsonl' ? jsonLines(input) : yamlItems(input);
  let n = 0;
  for await (const value of values) {
    n++;
    yield asRow(value, n);
  }
}

function asRow(value: unknown, n: number): DumpRow {
  const v = value as Partial<DumpRow> | null;
  if (typeof v !== 'object' || v === null || typeof v.model !== 'string' || typeof v.fields !== 'object' || v.fields === null) {
    throw new Error(`object ${n} of the dump is not {"model", "pk", "fields"}: is this a dumpdata file?`);
  }
  return { model: v.model, pk: v.pk, fields: v.fields };
}

async function* jsonArray(input: Readable): AsyncGenerator<unknown> {
  const elements = new JsonArrayElements();
  input.setEncoding('utf8');
  for await (const chunk of input) yield* elements.push(chunk as string);
  elements.end();
}

async function* jsonLines(input: Readable): AsyncGenerator<unknown> {
  let line = 0;
  for await (const text of createInterface({ input, crlfDelay: Infinity })) {
    line++;
    if (text.trim() === '') continue;
    try {
      yield parseJsonExact(text);
    } catch (err) {
      throw new Error(`line ${line} of the dump is not JSON: ${(err as Error).message}`);
    }
  }
}

/**
 * PyYAML writes the dump as one top-level sequence whose items start at column 0 with "- "; every other line of
 * an item is indented (block collections, folded and quoted scalars). Each item is parsed alone.
 */
async function* yamlItems(input: Readable): AsyncGenerator<unknown> {
  let item: string[] = [];
  let line = 0;
  for await (const text of createInterface({ input, crlfDelay: Infinity })) {
    line++;
    if (text.startsWith('- ') || text === '-' || text === '[]') {
      if (item.length > 0) yield parseYamlItem(item, line);
      item = [];
      if (text === '[]') continue;
    }
    item.push(text);
  }
  if (item.length > 0) yield parseYamlItem(item, line);
}

function parseYamlItem(lines: string[], line: number): unknown {
  const simple = readSimpleItem(lines);
  if (simple !== undefined) return simple;
  const parsed = parseYamlText(lines.join('\n'));
  if (!Array.isArray(parsed) || parsed.length !== 1) throw new Error(`the YAML item ending before line ${line} is not one dumpdata object`);
  return parsed[0];
}

/** YAML text as PyYAML's resolver reads it (YAML_OPTIONS below): the general reader. */
export const parseYamlText = (text: string): unknown => YAML.parse(text, YAML_OPTIONS);

/**
 * PyYAML's own YAML 1.1 resolver (yaml/resolver.py), which decided what to quote when Django wrote the dump:
 * only its booleans are booleans ("y" stays text), floats are not read (no dumped field of ours is one, and
 * "1e3" stays text), and timestamps stay text so their microseconds are kept. Integers come as bigint.
 */
const PYYAML_BOOL: ScalarTag = {
  tag: 'tag:yaml.org,2002:bool',
  default: true,
  test: /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  resolve: (s: string) => /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/.test(s),
};
const NOT_READ = new Set(['tag:yaml.org,2002:timestamp', 'tag:yaml.org,2002:float', 'tag:yaml.org,2002:bool']);
const YAML_OPTIONS = {
  version: '1.1' as const,
  intAsBigInt: true,
  customTags: (tags: YAML.Tags) => [...tags.filter((t) => !NOT_READ.has(typeof t === 'string' ? t : t.tag)), PYYAML_BOOL],
};
