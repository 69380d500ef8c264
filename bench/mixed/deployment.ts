// The two ways bench:throughput --mixed runs rollcall: `rollcall all` (one process: projector, activity consumer
// and API together) and the roles as processes of their own (`rollcall project`, `rollcall activity`, and
// `rollcall api` with API_PROCESSES HTTP processes: by default one per core), each on a port of its own.
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export type DeploymentKind = 'roles' | 'all';

export type Deployment = {
  kind: DeploymentKind;
  /** Where the API answers. */
  base: string;
  /** Where the projector serves its /metrics. */
  projectorBase: string;
  /** Each process group's pids now (the API's HTTP processes as its primary's children). */
  pids(): Record<string, number[]>;
  stop(): Promise<void>;
};

const CLI = path.join(__dirname, '../../services/cli.js');

const childrenOf = (pid: number | undefined): number[] => {
  const file = `/proc/${pid}/task/${pid}/children`;
  return pid !== undefined && existsSync(file) ? readFileSync(file, 'utf8').split(' ').filter((s) => s.trim() !== '').map(Number) : [];
};

/** Started, not yet ready (see waitReady in run.ts). */
export function startDeployment(kind: DeploymentKind, env: NodeJS.ProcessEnv): Deployment {
  const port = 20_000 + Math.floor(Math.random() * 2_000);
  const role = (command: string, p: number) => spawn(process.execPath, [CLI, command], {
    env: { ...process.env, ...env, PORT: String(p), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const children: Record<string, ChildProcess> = kind === 'all'
    ? { 'rollcall all': role('all', port) }
    : { api: role('api', port), project: role('project', port + 1), activity: role('activity', port + 2) };
  return {
    kind,
    base: `http://127.0.0.1:${port}`,
    projectorBase: `http://127.0.0.1:${kind === 'all' ? port : port + 1}`,
    pids: () => Object.fromEntries(Object.entries(children).map(([name, c]) => [name, c.pid === undefined ? [] : [c.pid, ...childrenOf(c.pid)]])),
    stop: () => Promise.all(Object.values(children).map(stopped)).then(() => undefined),
  };
}

/** SIGTERM, then SIGKILL if it has not exited within 15 s. */
async function stopped(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}
