// `rollcall import`: two passes over bounded memory. The dump is read once into a spool of users and tokens
// (spool.ts), sorted on disk by user id with `sort`, then read back user by user, each with its token,
// turned into the contract's events and sent. Groups go first; they were kept in memory.
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { DumpFormat, dumpRows } from './dumpFormats';
import { encodeSubject, ImportEvent } from './encode';
import { DumpModels, tokenLabel } from './models';
import { ImportProgress } from './progress';
import { Refusals } from './refusals';
import { EventSink, VersionsFile } from './sinks';
import { SPOOL_KINDS, spoolDump, SpooledToken, SpooledUser } from './spool';
import { groupEvents, naturalKeys, NaturalKeys, RowRefused, userEvents } from './userEvents';

export type ImportRun = {
  input: Readable; format: DumpFormat; models: DumpModels; sink: EventSink; versions?: VersionsFile;
  refusals: Refusals; progress: ImportProgress; tmpDir?: string;
};
export type ImportSummary = { users: number; groups: number; tokens: number; events: number; refused: number; skipped: Map<string, number> };

export async function importDump(run: ImportRun): Promise<ImportSummary> {
  const dir = await mkdtemp(join(run.tmpDir ?? tmpdir(), 'rollcall-import-'));
  try {
    let rows = 0;
    const counted = async function* <T>(xs: AsyncIterable<T>) {
      for await (const x of xs) {
        run.progress.reading(++rows);
        yield x;
      }
    };
    const spool = await spoolDump(counted(dumpRows(run.input, run.format)), run.models, join(dir, 'spool'), run.refusals);
    await sortById(join(dir, 'spool'), join(dir, 'sorted'), dir);
    const keys = naturalKeys(spool);
    const summary: ImportSummary = { users: 0, groups: 0, tokens: 0, events: 0, refused: 0, skipped: spool.skipped };
    const emit = async (model: string, pk: string, build: () => ImportEvent[]): Promise<boolean> => {
      const result = encodeOrRefusal(build);
      if ('refused' in result) {
        run.refusals.refuse(model, pk, result.refused);
        return false;
      }
      await run.sink.send(result.encoded);
      await run.versions?.record(result.encoded);
      summary.events += result.encoded.length;
      return true;
    };
    for (const [id, group] of spool.groups) if (await emit(run.models.group, id, () => groupEvents(id, group, keys))) summary.groups++;
    let done = 0;
    for await (const entry of usersWithTokens(join(dir, 'sorted'))) {
      await importUser(entry, run, keys, emit, summary);
      run.progress.publishing(++done, spool.users);
    }
    run.progress.stop();
    await run.sink.close();
    await run.versions?.complete();
    summary.refused = run.refusals.count;
    return summary;
  } finally {
    run.progress.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

type Emit = (model: string, pk: string, build: () => ImportEvent[]) => Promise<boolean>;
type Entry = { id: string; users: SpooledUser[]; tokens: SpooledToken[] };

async function importUser(entry: Entry, run: ImportRun, keys: NaturalKeys, emit: Emit, summary: ImportSummary): Promise<void> {
  const [user, ...again] = entry.users;
  const [token, ...more] = entry.tokens;
  const { user: userModel, token: tokenModel } = run.models;
  for (const _ of again) run.refusals.refuse(userModel, entry.id, 'the dump holds this user more than once');
  for (const t of more) run.refusals.refuse(tokenModel, tokenLabel(t.sha), `user ${entry.id} has another token (DRF keeps one per user)`);
  if (user === undefined) {
    for (const t of entry.tokens) run.refusals.refuse(tokenModel, tokenLabel(t.sha), `its user ${entry.id} is not in the dump`);
    return;
  }
  const imported = await emit(userModel, entry.id, () => userEvents(entry.id, user, token, keys));
  if (imported) {
    summary.users++;
    if (token !== undefined) summary.tokens++;
  } else if (token !== undefined) run.refusals.refuse(tokenModel, tokenLabel(token.sha), `its user ${entry.id} was refused`);
}

function encodeOrRefusal(build: () => ImportEvent[]): ReturnType<typeof encodeSubject> {
  try {
    return encodeSubject(build());
  } catch (err) {
    if (err instanceof RowRefused) return { refused: err.message };
    throw err;
  }
}

/** The sorted spool, one entry per user id: its row(s), then its token(s). */
async function* usersWithTokens(file: string): AsyncGenerator<Entry> {
  let entry: Entry | undefined;
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    const [id, kind, json] = line.split('\t') as [string, string, string];
    if (entry !== undefined && entry.id !== id) {
      yield entry;
      entry = undefined;
    }
    entry ??= { id, users: [], tokens: [] };
    if (kind === SPOOL_KINDS.USER) entry.users.push(JSON.parse(json) as SpooledUser);
    else entry.tokens.push(JSON.parse(json) as SpooledToken);
  }
  if (entry !== undefined) yield entry;
}

/** GNU sort: an external merge sort, so the spool's size does not bound memory. Ids are compared as numbers of any length. */
async function sortById(input: string, output: string, dir: string): Promise<void> {
  const args = ['-t', '\t', '-k1,1n', '-k2,2', '-s', '-S', '64M', '-T', dir, '-o', output, input];
  const child = spawn('sort', args, { env: { ...process.env, LC_ALL: 'C' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) throw new Error(`sorting the spool failed (sort exited ${code}): ${stderr.trim()}`);
}
