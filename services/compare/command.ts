// `rollcall compare`: where the requests come from (a file, standard input, or generated), the report, the exit
// code (0 every answer identical; 1 a difference, is_online alone too, or a failed request; 2 a bad call).
// Needs no database, broker or Redis.
import { accessSync, constants, createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { CompareOptions, COMPARE_USAGE, readCompareOptions, UsageError } from './options';
import { readRequestLine } from './requestLines';
import { Job, runComparisons } from './run';
import { Tally } from './tally';
import { readTokensFile, Role, TokensFileError } from './tokens';
import { reportJson, reportText } from './report';
import { generatedTargets } from './generatedTargets';

export async function compareCommand(args: string[], defaultCandidate: () => string): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${COMPARE_USAGE}\n`);
    return 0;
  }
  let o: CompareOptions;
  let roles: Role[];
  try {
    o = readCompareOptions(args);
    roles = o.tokens === undefined ? [{ name: 'anonymous', token: null }] : readTokensFile(o.tokens);
    if (o.file !== undefined && o.file !== '-') readable(o.file);
  } catch (err) {
    if (!(err instanceof UsageError) && !(err instanceof TokensFileError)) throw err;
    process.stderr.write(`rollcall compare: ${err.message}\n${COMPARE_USAGE}\n`);
    return 2;
  }
  const bases = { reference: o.reference, candidate: o.candidate ?? defaultCandidate() };
  if (o.listen !== undefined) return (await import('./shadow')).runShadow(o, bases);
  const tally = new Tally(o.show);
  const pace = { concurrency: o.concurrency, rate: o.rate };
  const progress = process.stderr.isTTY === true;
  if (o.generate !== undefined) {
    const targets = await generatedTargets(bases, roles, o);
    await runComparisons(jobsOf(targets, roles), tally, { bases, pace, timeoutMs: o.timeoutMs, progress, total: targets.length * roles.length });
  } else {
    await runComparisons(fileJobs(o.file!, roles, tally), tally, { bases, pace, timeoutMs: o.timeoutMs, progress });
  }
  process.stdout.write(o.json ? reportJson(tally) : reportText(tally));
  return tally.alike ? 0 : 1;
}

function readable(file: string): void {
  try {
    accessSync(file, constants.R_OK);
  } catch (err) {
    throw new UsageError(`cannot read the request file ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}

function* jobsOf(targets: string[], roles: Role[]): Iterable<Job> {
  for (const target of targets) for (const role of roles) yield { target, role };
}

/** The file read a line at a time (a day's access log is never held whole); lines not taken are counted. */
async function* fileJobs(file: string, roles: Role[], tally: Tally): AsyncIterable<Job> {
  const input = file === '-' ? process.stdin : createReadStream(file);
  const lines = createInterface({ input, crlfDelay: Infinity });
  for await (const line of lines) {
    const read = readRequestLine(line);
    if ('skipped' in read) tally.skip(read.skipped);
    if ('target' in read) for (const role of roles) yield { target: read.target, role };
  }
}
