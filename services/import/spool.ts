// The first pass: the dump read once, as a stream. Users and tokens go to one spool file, one line each, keyed
// by user id, which `sort` (on disk, bounded memory) then brings together: a user's token may stand anywhere in
// the dump. Groups, permissions and content types are few (a Django project has hundreds, not millions): they
// are kept in memory to resolve natural keys. Raw token keys are hashed here and never written.
import { DumpRow } from './dumpFormats';
import { DumpModels, idText, sha256Hex, tokenLabel, USER_FIELDS } from './models';
import { LineFile } from './lineFile';
import { Refusals } from './refusals';

export type SpooledUser = { f: Record<string, unknown> };
export type SpooledToken = { sha: string; created: unknown };
export type Lookups = {
  groups: Map<string, { name: unknown; permissions: unknown }>;
  permissions: Map<string, { codename: unknown; contentType: unknown }>;
  contentTypes: Map<string, unknown[]>;
};
export type SpoolResult = Lookups & { users: number; tokens: number; skipped: Map<string, number> };

const USER = '0';
const TOKEN = '1';

export async function spoolDump(rows: AsyncIterable<DumpRow>, models: DumpModels, file: string, refusals: Refusals): Promise<SpoolResult> {
  const out = new LineFile(file);
  const result: SpoolResult = { users: 0, tokens: 0, skipped: new Map(), groups: new Map(), permissions: new Map(), contentTypes: new Map() };
  try {
    for await (const row of rows) await spoolRow(row, models, out, result, refusals);
  } finally {
    await out.close();
  }
  return result;
}

async function spoolRow(row: DumpRow, models: DumpModels, out: LineFile, result: SpoolResult, refusals: Refusals): Promise<void> {
  const model = row.model.toLowerCase();
  if (model === models.token) return spoolToken(row, out, result, refusals);
  const id = idText(row.pk);
  const known = [models.user, models.group, models.permission, models.contentType].includes(model);
  if (known && id === undefined) {
    const why = row.pk === undefined ? 'no pk (dump without --natural-primary)' : 'pk is not a positive integer below 2^63';
    return refusals.refuse(model, String(row.pk), why);
  }
  const f = row.fields;
  if (model === models.user) {
    const mapped = Object.fromEntries(USER_FIELDS.map((ours) => [ours, f[models.fields[ours]]]));
    result.users++;
    return write(out, `${id}\t${USER}\t${toJson({ f: mapped } satisfies SpooledUser)}\n`);
  }
  if (model === models.group) result.groups.set(id as string, { name: f.name, permissions: f.permissions });
  else if (model === models.permission) result.permissions.set(id as string, { codename: f.codename, contentType: f.content_type });
  else if (model === models.contentType) result.contentTypes.set(id as string, [f.app_label, f.model]);
  else result.skipped.set(model, (result.skipped.get(model) ?? 0) + 1);
}

async function spoolToken(row: DumpRow, out: LineFile, result: SpoolResult, refusals: Refusals): Promise<void> {
  if (typeof row.pk !== 'string' || row.pk === '') return refusals.refuse(row.model, '(no key)', 'a token needs its key as pk');
  const sha = sha256Hex(row.pk);
  const user = idText(row.fields.user);
  if (user === undefined) {
    const why = Array.isArray(row.fields.user) ? 'its user is a natural key (dump without --natural-foreign)' : 'it names no user';
    return refusals.refuse(row.model, tokenLabel(sha), why);
  }
  result.tokens++;
  return write(out, `${user}\t${TOKEN}\t${toJson({ sha, created: row.fields.created } satisfies SpooledToken)}\n`);
}

/** JSON with bigints as their digits (ids past 2^53 from the exact parsers). */
const toJson = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));

const write = (out: LineFile, line: string) => out.write(line);

export const SPOOL_KINDS = { USER, TOKEN };
