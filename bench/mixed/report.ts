// The tables bench:throughput --mixed prints (Markdown, for docs/benchmarks.md), with issue 25's targets.
import { availableParallelism, loadavg } from 'node:os';
import { fmt, percentile } from '../kit';
import type { DeploymentKind } from './deployment';
import type { Driven } from './drive';
import type { Freshness } from './freshness';
import type { Usage } from './usage';

export type Flags = {
  users: number; seconds: number; floorSeconds: number; settle: number; connections: number;
  rates: number[]; deployments: DeploymentKind[]; freshRate: number; freshSamples: number;
};
export type RateRow = {
  kind: DeploymentKind; rate: number; rollcall: Driven; floor: Driven;
  /** CPU over the drive itself. */
  usage: Usage;
  /** PostgreSQL's and Redis's counts from the drive's start until a flush of PostgreSQL's counters after its end. */
  counts: Usage;
  /** The settle before the drive: the stream alone, no request. */
  streamOnly: Usage;
  published: number;
  /** Seconds from the stream's stop until a registration published then was searchable; null: not within 60 s. */
  caughtUp: number | null;
};
export type FreshRow = Freshness & { kind: DeploymentKind; rate: number; outcomes: Record<string, number>; gaps: number };

const TARGET_SHARE: Record<number, number> = { 100: 6, 1000: 10 };
const ms = (x: number) => x.toFixed(1);
const pct = (cores: number | undefined) => (cores === undefined ? '' : `${Math.round(cores * 100)}%`);
const ROLLCALL_GROUPS = ['api', 'project', 'activity', 'rollcall all'];
const OTHER_GROUPS = ['PostgreSQL backends', 'Redis', 'load generator (bench)', 'rest of the machine'];

/** Per request: all the server counted, and that less what the stream alone made it count at that rate. */
function perRequest(r: RateRow, count: 'pgTransactions' | 'redisCommands'): { total: number; net: number } {
  const requests = r.rollcall.requests;
  const streamRate = r.streamOnly[count] / r.streamOnly.seconds;
  return { total: r.counts[count] / requests, net: Math.max(0, r.counts[count] - streamRate * r.counts.seconds) / requests };
}
const pgPerRequest = (r: RateRow) => perRequest(r, 'pgTransactions');

function throughputTable(rows: RateRow[]): string[] {
  return [
    '| deployment | events/s (published) | req/s | p50 / p99 ms | floor req/s | floor p50 / p99 ms | share of the floor | PostgreSQL xacts / request (all; less the stream alone, rough) | Redis commands / request (all; less the stream alone, rough) | 2xx / 4xx / 5xx / errors | caught up after (s) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) => {
      const pg = pgPerRequest(r);
      const s = r.rollcall.statuses;
      return `| ${r.kind} | ${fmt(r.rate)} (${fmt(r.published / r.rollcall.seconds)}) | ${fmt(r.rollcall.rps)} | ${ms(r.rollcall.p50)} / ${ms(r.rollcall.p99)} | ${fmt(r.floor.rps)} | ${ms(r.floor.p50)} / ${ms(r.floor.p99)} | 1/${(r.floor.rps / r.rollcall.rps).toFixed(1)} | ${pg.total.toFixed(3)}; ${pg.net.toFixed(3)} | ${perRequest(r, 'redisCommands').total.toFixed(3)}; ${perRequest(r, 'redisCommands').net.toFixed(3)} | ${s.ok} / ${s.client} / ${s.server} / ${s.errors} | ${r.caughtUp === null ? '> 60' : r.caughtUp.toFixed(1)} |`;
    }),
  ];
}

function cpuTable(rows: RateRow[]): string[] {
  const groups = [...ROLLCALL_GROUPS.filter((g) => rows.some((r) => r.usage.cores[g] !== undefined)), ...OTHER_GROUPS];
  return [
    `| deployment | events/s | ${groups.join(' | ')} |`,
    `|---|---:|${groups.map(() => '---:').join('|')}|`,
    ...rows.map((r) => `| ${r.kind} | ${fmt(r.rate)} | ${groups.map((g) => pct(r.usage.cores[g])).join(' | ')} |`),
  ];
}

function freshTable(fresh: FreshRow[]): string[] {
  const p = (xs: number[], q: number) => ms(percentile([...xs].sort((a, b) => a - b), q));
  return [
    '| deployment | events/s | registration searchable p50 / p99 / max ms | revoked token refused p50 / p99 / max ms | samples | not within 10 s |',
    '|---|---:|---:|---:|---:|---:|',
    ...fresh.map((f) => `| ${f.kind} | ${fmt(f.rate)} | ${p(f.visible, 50)} / ${p(f.visible, 99)} / ${p(f.visible, 100)} | ${p(f.refused, 50)} / ${p(f.refused, 99)} / ${p(f.refused, 100)} | ${f.visible.length} + ${f.refused.length} | ${f.timeouts} |`),
  ];
}

function targets(rows: RateRow[], fresh: FreshRow[]): string[] {
  const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');
  const lines = rows.filter((r) => TARGET_SHARE[r.rate] !== undefined).map((r) => {
    const share = r.rollcall.rps / r.floor.rps;
    return `- ${r.kind} at ${r.rate} events/s: 1/${(1 / share).toFixed(1)} of the floor (target at least 1/${TARGET_SHARE[r.rate]}): ${verdict(share * (TARGET_SHARE[r.rate] as number) >= 1)}`;
  });
  // Judged on every transaction of the database: the projector's own are few once requests are many, and the
  // estimate without them rests on a few seconds of the stream alone.
  for (const r of rows) lines.push(`- ${r.kind} at ${r.rate} events/s: ${pgPerRequest(r).total.toFixed(3)} PostgreSQL transactions per request, the projector's included (target at most 0.05): ${verdict(pgPerRequest(r).total <= 0.05)}`);
  for (const f of fresh) {
    const p99 = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 99);
    const worst = Math.max(p99(f.visible), p99(f.refused));
    lines.push(`- ${f.kind} at ${f.rate} events/s: freshness p99 ${ms(worst)} ms, the worse of the two (target at most 100 ms): ${verdict(worst <= 100 && f.timeouts === 0)}`);
  }
  return lines;
}

export function printReport(flags: Flags, rows: RateRow[], fresh: FreshRow[], run: { distinct: number; newShare: number; minutes: number }): void {
  const lines = [
    `bench:throughput --mixed: ${fmt(flags.users)} seeded users, ${flags.connections} connections, ${flags.seconds} s per rate (after ${flags.settle} s of the stream alone), floor ${flags.floorSeconds} s; ${fmt(run.distinct)} distinct requests asked, ${Math.round(run.newShare * 100)}% of the requests asked a path never asked before in the run; ${run.minutes.toFixed(1)} min; load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' / ')}`,
    '',
    ...throughputTable(rows),
    '',
    `CPU over each drive, in % of one core (${availableParallelism()} cores here):`,
    '',
    ...cpuTable(rows),
    '',
    `Freshness from the publish to Kafka, ${flags.freshSamples} samples of each while ${fmt(flags.freshRate)} events/s are published (no other HTTP load):`,
    '',
    ...freshTable(fresh),
    '',
    ...rows.flatMap((r) => r.rollcall.serverErrors.map((e) => `${r.kind} at ${r.rate} events/s answered ${e}`)),
    ...fresh.map((f) => `${f.kind}: the projector's outcomes over the deployment's life ${JSON.stringify(f.outcomes)}, ${f.gaps} applied after a version gap`),
    '',
    'Targets (issue 25):',
    ...targets(rows, fresh),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
