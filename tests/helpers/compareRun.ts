// `rollcall compare` run as an operator runs it, without blocking this process (the services it asks may be
// in-process Koa apps), killed if it outlives its bound.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLI } from './cli';

export type CompareResult = { status: number | null; stdout: string; stderr: string; ms: number };

export function runCompare(args: string[], timeoutMs = 60_000): Promise<CompareResult> {
  const started = Date.now();
  const child = spawn(process.execPath, [CLI, 'compare', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) => child.once('close', (status) => {
    clearTimeout(timer);
    resolve({ status, stdout, stderr, ms: Date.now() - started });
  }));
}

/** A file of `text` in a fresh temporary folder. */
export function tempFile(name: string, text: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'rollcall-compare-')), name);
  writeFileSync(file, text);
  return file;
}
