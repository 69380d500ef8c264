// The common shape of one PyYAML-written dumpdata item, read without a general YAML parser (which costs about a
// millisecond an item: most of a YAML import's time). Only lines of the exact shapes below are read here, with
// PyYAML's own resolver for plain scalars; anything else (a folded or double-quoted scalar, a number that is not
// a plain integer, a flow collection) returns undefined and the item is parsed by the `yaml` library instead.
// tests/integration/yamlFastPath.test.ts holds the two readers equal on what this one accepts.

const ITEM = /^- model: ([\w.]+)$/;
const PK = /^ {2}pk: (.*)$/;
const FIELD = /^ {4}(\w+):(?: (.*))?$/;
const LIST_ITEM = /^ {4}- (.*)$/;
const INTEGER = /^[-+]?(?:0|[1-9]\d*)$/;
/** PyYAML's YAML 1.1 booleans and nulls (yaml/resolver.py). */
const BOOLEANS = new Map<string, boolean>(['yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((w) => [w, true]));
for (const w of ['no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']) BOOLEANS.set(w, false);
const NULLS = new Set(['~', 'null', 'Null', 'NULL']);
/** Plain scalars that start like a number, an indicator or a quote: left to the general parser. */
const NOT_SIMPLE = /^[-+.\d"&*!|>%@`{[?#,]|^- |^$/;
const NOT_SIMPLE_EXCEPT_NUMBERS = /^[.\d+-]/;

const UNREAD = Symbol('unread');

/** The item as { model, pk, fields }, or undefined when a line is not of the shapes read here. */
export function readSimpleItem(lines: readonly string[]): { model: string; pk: unknown; fields: Record<string, unknown> } | undefined {
  const model = ITEM.exec(lines[0] ?? '')?.[1];
  const pkText = PK.exec(lines[1] ?? '')?.[1];
  if (model === undefined || pkText === undefined || lines[2] !== '  fields:') return undefined;
  const pk = scalar(pkText);
  if (pk === UNREAD) return undefined;
  const fields: Record<string, unknown> = {};
  let list: unknown[] | undefined;
  for (let i = 3; i < lines.length; i++) {
    const line = lines[i] as string;
    const item = list === undefined ? undefined : LIST_ITEM.exec(line);
    if (item) {
      const v = scalar(item[1] as string);
      if (v === UNREAD) return undefined;
      (list as unknown[]).push(v);
      continue;
    }
    const m = FIELD.exec(line);
    if (m === null || Object.hasOwn(fields, m[1] as string) || list?.length === 0) return undefined;
    list = undefined;
    if (m[2] === undefined) fields[m[1] as string] = list = [];
    else {
      const v = m[2] === '[]' ? [] : scalar(m[2]);
      if (v === UNREAD) return undefined;
      fields[m[1] as string] = v;
    }
  }
  return list?.length === 0 ? undefined : { model, pk, fields };
}

function scalar(text: string): unknown {
  if (text.startsWith("'")) return singleQuoted(text);
  if (INTEGER.test(text)) return BigInt(text);
  if (NOT_SIMPLE.test(text) || NOT_SIMPLE_EXCEPT_NUMBERS.test(text)) return isTimestampLike(text) || isHexKey(text) ? text : UNREAD;
  if (text.includes(': ') || text.includes(' #') || text.endsWith(':') || text.endsWith(' ')) return UNREAD;
  const bool = BOOLEANS.get(text);
  if (bool !== undefined) return bool;
  return NULLS.has(text) ? null : text;
}

/** What PyYAML writes for a datetime: "2026-02-21 07:20:25.859632+00:00" (kept as text, as the general reader does). */
function isTimestampLike(text: string): boolean {
  return /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d{1,6})?[+-]\d\d:\d\d$/.test(text);
}

/** A DRF token key starting with a digit ("9944b0…"): hex digits with a letter, which no PyYAML resolver takes. */
function isHexKey(text: string): boolean {
  return /^\d[\da-f]*[a-f][\da-f]*$/.test(text) && !/^0b|^\d+e\d+$/.test(text);
}

/** 'it''s' on one line; a quote left open (the scalar goes on) is not read here. */
function singleQuoted(text: string): unknown {
  if (text.length < 2 || !text.endsWith("'")) return UNREAD;
  const inner = text.slice(1, -1);
  if (/'(?!')/.test(inner.replace(/''/g, ''))) return UNREAD;
  return inner.replace(/''/g, "'");
}
