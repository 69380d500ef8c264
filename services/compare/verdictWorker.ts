// compareAnswers on a thread of its own, for the shadow mode: an exact parse of two differing pages of 1000 users
// takes about a fifth of a second, which on the proxy's own event loop would hold up every client meanwhile.
// Findings come back as lossless JSON text (a class instance does not cross threads), at most MAX_FINDINGS a kind.
import { parentPort } from 'node:worker_threads';
import { stringify } from 'lossless-json';
import { Answer, Bases, compareAnswers } from './answers';

export const MAX_FINDINGS = 100;
export type Judged = { id: number; outcome: string; findings: string };

parentPort?.on('message', (m: { id: number; reference: Answer; candidate: Answer; bases: Bases }) => {
  const v = compareAnswers(m.reference, m.candidate, m.bases);
  const findings = stringify({ differences: v.differences.slice(0, MAX_FINDINGS), online: v.online.slice(0, MAX_FINDINGS) }) ?? '{}';
  parentPort!.postMessage({ id: m.id, outcome: v.outcome, findings } satisfies Judged);
});
