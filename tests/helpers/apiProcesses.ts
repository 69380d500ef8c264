// `rollcall api` as an operator runs it (the index in its primary, HTTP in API_PROCESSES others), on a free port.
import { ChildProcess, spawn } from 'node:child_process';
import { CLI } from './cli';
import { eventually } from './events';
import { freePort } from './ownServers';

export type ApiProcesses = { base: string; stop(): Promise<void> };

/** Resolves once the API holds its index; `stop` sends SIGTERM and waits for the primary's exit. */
export async function startApiProcesses(env: NodeJS.ProcessEnv, processes = 2): Promise<ApiProcesses> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const api: ChildProcess = spawn(process.execPath, [CLI, 'api'], {
    env: { ...env, PORT: String(port), HOST: '127.0.0.1', API_PROCESSES: String(processes), LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  const exited = new Promise((resolve) => api.once('exit', resolve));
  const stop = async () => {
    if (api.exitCode === null) api.kill('SIGTERM');
    await exited;
  };
  try {
    await eventually(async () => {
      const metrics = await fetch(`${base}/metrics`).then((r) => r.text(), () => '');
      return /^rollcall_api_in_memory_index_loaded 1$/m.test(metrics) ? true : undefined;
    }, 60_000, 'the API to hold its index');
  } catch (e) {
    await stop();
    throw e;
  }
  return { base, stop };
}
