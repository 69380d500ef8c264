// What a run of bench:throughput --mixed cost, counted by the machine and the servers themselves: CPU time of
// each process group (/proc/<pid>/stat's utime + stime), the machine's busy time (/proc/stat), PostgreSQL
// transactions of the bench's database (pg_stat_database) and Redis commands (INFO's total_commands_processed).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Knex } from 'knex';
import Redis from 'ioredis';

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

export type Snapshot = { at: number; ticks: Record<string, Map<number, number>>; machineBusy: number; pgTransactions: number; redisCommands: number };
/** CPU in cores (1 = one core busy all along) per group, and the servers' counts, over an interval. */
export type Usage = { seconds: number; cores: Record<string, number>; pgTransactions: number; redisCommands: number };

/** utime + stime of a process, in clock ticks; 0 once it is gone. */
function processTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

function machineBusyTicks(): number {
  const [, user, nice, system, , , irq, softirq, steal] = (readFileSync('/proc/stat', 'utf8').split('\n')[0] as string).trim().split(/\s+/).map(Number);
  return [user, nice, system, irq, softirq, steal].reduce<number>((a, b) => a + (b ?? 0), 0);
}

export class UsageMeter {
  /**
   * `stats`: a connection to another database than the bench's (its own statements are not counted);
   * `groups`: the deployment's process groups now.
   */
  constructor(private readonly stats: Knex, private readonly database: string, private readonly redis: Redis, private readonly groups: () => Record<string, number[]>) {}

  async snapshot(): Promise<Snapshot> {
    const { rows } = await this.stats.raw(
      `select (select xact_commit + xact_rollback from pg_stat_database where datname = ?) as xacts,
              (select coalesce(array_agg(pid), '{}') from pg_stat_activity where datname = ?) as backends`,
      [this.database, this.database],
    );
    const redisPid = Number(/process_id:(\d+)/.exec(await this.redis.info('server'))?.[1]);
    const redisCommands = Number(/total_commands_processed:(\d+)/.exec(await this.redis.info('stats'))?.[1]);
    const groups: Record<string, number[]> = { ...this.groups(), 'PostgreSQL backends': rows[0].backends.map(Number), Redis: [redisPid], 'load generator (bench)': [process.pid] };
    const ticks = Object.fromEntries(Object.entries(groups).map(([name, pids]) => [name, new Map(pids.map((p) => [p, processTicks(p)]))]));
    return { at: performance.now(), ticks, machineBusy: machineBusyTicks(), pgTransactions: Number(rows[0].xacts), redisCommands };
  }
}

/** From `a` to `b`: a process born meanwhile counts whole, one that died meanwhile is lost (few: pools keep theirs). */
export function usageBetween(a: Snapshot, b: Snapshot): Usage {
  const seconds = (b.at - a.at) / 1000;
  const cores: Record<string, number> = {};
  let counted = 0;
  for (const [name, pids] of Object.entries(b.ticks)) {
    let ticks = 0;
    for (const [pid, t] of pids) ticks += t - (a.ticks[name]?.get(pid) ?? 0);
    counted += ticks;
    cores[name] = ticks / TICKS_PER_SECOND / seconds;
  }
  // What else ran on the machine meanwhile (other sessions' tests and benchmarks share its two cores).
  cores['rest of the machine'] = Math.max(0, b.machineBusy - a.machineBusy - counted) / TICKS_PER_SECOND / seconds;
  return { seconds, cores, pgTransactions: b.pgTransactions - a.pgTransactions, redisCommands: b.redisCommands - a.redisCommands };
}
