// `rollcall api` as an operator runs it (the index in its primary, HTTP in API_PROCESSES others), on a free port.
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { CLI } from './cli';
import { eventually } from './events';
import { freePort } from './ownServers';

export type ApiProcesses = {
  base: string;
  /** Resolves once the API holds its index. */
  ready(): Promise<void>;
  /** The HTTP processes' pids, as Linux lists the primary's children (none once it exited). */
  httpPids(): number[];
  /** The HTTP process holding the server's end of the connection from local port `clientPort`. */
  ownerOf(clientPort: number): number | undefined;
  /** SIGTERM, and the primary's exit. */
  stop(): Promise<void>;
};

/** Started, not yet ready. `DEBUG_API=1` shows its output. */
export async function spawnApiProcesses(env: NodeJS.ProcessEnv, processes = 2): Promise<ApiProcesses> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const api: ChildProcess = spawn(process.execPath, [CLI, 'api'], {
    env: { ...env, PORT: String(port), HOST: '127.0.0.1', API_PROCESSES: String(processes), LOG_LEVEL: 'warn' },
    stdio: process.env.DEBUG_API ? 'inherit' : 'ignore',
  });
  const exited = new Promise((resolve) => api.once('exit', resolve));
  const children = `/proc/${api.pid}/task/${api.pid}/children`;
  const httpPids = () => (existsSync(children) ? readFileSync(children, 'utf8').split(' ').filter((s) => s.trim() !== '').map(Number) : []);
  return {
    base,
    httpPids,
    async ready() {
      await eventually(async () => {
        const metrics = await fetch(`${base}/metrics`).then((r) => r.text(), () => '');
        return /^rollcall_api_in_memory_index_loaded 1$/m.test(metrics) ? true : undefined;
      }, 60_000, 'the API to hold its index');
    },
    ownerOf(clientPort) {
      const hex = (n: number) => `:${n.toString(16).toUpperCase().padStart(4, '0')}`;
      // One connection a line: local and remote address (hex ip:port), ..., the socket's inode tenth.
      const row = readFileSync('/proc/net/tcp', 'utf8').split('\n').map((l) => l.trim().split(/\s+/))
        .find((f) => f[1]?.endsWith(hex(port)) && f[2]?.endsWith(hex(clientPort)));
      return row === undefined ? undefined : httpPids().find((pid) => holds(pid, `socket:[${row[9]}]`));
    },
    async stop() {
      if (api.exitCode === null) api.kill('SIGTERM');
      await exited;
    },
  };
}

/** Whether process `pid` has `link` among its open files. */
function holds(pid: number, link: string): boolean {
  return readdirSync(`/proc/${pid}/fd`).some((fd) => {
    try {
      return readlinkSync(`/proc/${pid}/fd/${fd}`) === link;
    } catch {
      return false; // closed since it was listed
    }
  });
}

/** Started and ready (stopped again if it never is). */
export async function startApiProcesses(env: NodeJS.ProcessEnv, processes = 2): Promise<ApiProcesses> {
  const api = await spawnApiProcesses(env, processes);
  try {
    await api.ready();
  } catch (e) {
    await api.stop();
    throw e;
  }
  return api;
}
