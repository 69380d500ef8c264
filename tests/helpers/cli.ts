// The compiled `rollcall` command the end-to-end tests run (npm test builds it first).
import { spawn } from 'node:child_process';
import path from 'node:path';

export const CLI = path.join(__dirname, '../../bin/rollcall.js');

/** A bound on any one command: under jest's 60 s per test, so that a command that hangs fails its test saying so. */
const CLI_TIMEOUT_MS = 50_000;

export type CliRun = Readonly<{
  args: readonly string[];
  /** The exit code; null when it was killed (`signal`). */
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}>;

/**
 * Runs `rollcall ARGS` to its end with this environment. Asynchronously: spawnSync stopped this process, and a
 * projector running in it could stop inside a batch holding the serving generation FOR SHARE; `replay` then
 * waited for it at its switch until PostgreSQL's statement timeout (30 s, shared/db.ts) failed it with nothing
 * on stdout (issue 27: tests/e2e/replayDrop.test.ts, once in a full run). Killed after CLI_TIMEOUT_MS.
 */
export function runCli(env: NodeJS.ProcessEnv, ...args: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, CLI_TIMEOUT_MS);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    // 'close': the exit and both streams read to their end.
    child.once('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ args, status, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), timedOut });
    });
  });
}

/** The stdout of a run that exited 0; otherwise fails with what a reader of the failed test needs: code, signal, stderr. */
export function succeeded(run: CliRun): string {
  if (run.status === 0) return run.stdout;
  const how = run.timedOut ? `was killed after ${CLI_TIMEOUT_MS} ms` : run.signal !== null ? `was killed by ${run.signal}` : `exited with ${run.status}`;
  throw new Error(`rollcall ${run.args.join(' ')} ${how}\n--- stderr ---\n${run.stderr}--- stdout ---\n${run.stdout}`);
}
