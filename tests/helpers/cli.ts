// The compiled `rollcall` command the end-to-end tests run (npm test builds it first).
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export const CLI = path.join(__dirname, '../../bin/rollcall.js');

/** Runs `rollcall ARGS` to the end with this environment; stdout and stderr as text. */
export const runCli = (env: NodeJS.ProcessEnv, ...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8' });
