// The comparison loop: each request asked of both services at the same moment (so is_online has the least
// time to change between them), paced (pacer.ts), each pair judged (answers.ts) and counted (tally.ts).
import { SingleBar } from 'cli-progress';
import { Answer, Bases, compareAnswers } from './answers';
import { fetchAnswer, RequestFailed, tokenHeader } from './fetchAnswer';
import { forEachPaced, Pace } from './pacer';
import { parametersOf, pathOf } from './requestLines';
import { Compared, Side, Tally } from './tally';
import { Role } from './tokens';

export type Job = { target: string; role: Role };
export type RunOptions = { bases: Bases; pace: Pace; timeoutMs: number; progress: boolean; total?: number };

export async function runComparisons(jobs: AsyncIterable<Job> | Iterable<Job>, tally: Tally, o: RunOptions): Promise<void> {
  const progress = o.progress ? startProgress(o.total) : undefined;
  try {
    await forEachPaced(jobs, o.pace, async (job) => {
      tally.add(await compareOne(job, o.bases, o.timeoutMs));
      const t = tally.total;
      progress?.update(t.requests, { identical: t.identical, different: t.different, online: t.onlineOnly, failed: t.failed });
    });
  } finally {
    progress?.stop();
  }
}

export async function compareOne(job: Job, bases: Bases, timeoutMs: number): Promise<Compared> {
  const asked = { target: job.target, role: job.role.name, endpoint: pathOf(job.target), parameters: parametersOf(job.target) };
  const ask = (base: string) => fetchAnswer(base, job.target, tokenHeader(job.role.token), timeoutMs).then((a) => a, (err: unknown) => failure(err));
  const [reference, candidate] = await Promise.all([ask(bases.reference), ask(bases.candidate)]);
  if (reference instanceof RequestFailed || candidate instanceof RequestFailed) {
    const side: Side = !(candidate instanceof RequestFailed) ? 'reference' : !(reference instanceof RequestFailed) ? 'candidate' : 'both';
    const why = [reference, candidate].filter((x): x is RequestFailed => x instanceof RequestFailed).map((e) => e.message).join('; ');
    return { ...asked, failed: { side, why } };
  }
  return { ...asked, verdict: compareAnswers(reference as Answer, candidate as Answer, bases), referenceStatus: (reference as Answer).status };
}

function failure(err: unknown): RequestFailed {
  if (err instanceof RequestFailed) return err;
  throw err;
}

function startProgress(total: number | undefined) {
  const counts = '{identical} identical | {different} different | {online} is_online only | {failed} failed';
  const format = total === undefined ? `compare {value} requests | ${counts}` : `compare {bar} {value}/{total} | ${counts} | ETA {eta_formatted}`;
  const bar = new SingleBar({ format, stream: process.stderr, etaBuffer: 50 });
  bar.start(total ?? 0, 0, { identical: 0, different: 0, online: 0, failed: 0 });
  return bar;
}
