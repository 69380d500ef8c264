// A run's tally as a person reads it, or as JSON for machines (`--json`; numbers written exactly as each service
// wrote them). Roles are named; their tokens never appear.
import { stringify } from 'lossless-json';
import { Difference } from './jsonDiff';
import { Compared, Counts, Tally } from './tally';

export function reportJson(t: Tally): string {
  const table = (m: Map<string, Counts>) => Object.fromEntries([...m].sort(([a], [b]) => a.localeCompare(b)));
  const report = {
    alike: t.alike,
    total: t.total,
    byEndpoint: table(t.byEndpoint),
    byRole: table(t.byRole),
    byParameter: table(t.byParameter),
    byStatus: Object.fromEntries([...t.byStatus].sort(([a], [b]) => a - b)),
    sharedByDifferent: t.sharedByDifferent === undefined ? [] : [...t.sharedByDifferent].sort(),
    skipped: Object.fromEntries(t.skipped),
    differences: t.firstDifferences.map(detail),
    onlineOnly: t.firstOnlineOnly.map(detail),
    failures: t.firstFailures.map(detail),
  };
  return `${stringify(report, undefined, 2)}\n`;
}

function detail(c: Compared) {
  const asked = { target: c.target, role: c.role };
  if ('failed' in c) return { ...asked, failed: c.failed };
  return { ...asked, differences: c.verdict.differences, online: c.verdict.online };
}

/** Findings of one request shown as text: a page of a thousand rows that all differ would bury the rest. */
const FINDINGS_SHOWN = 20;
const COLUMNS = ['requests', 'identical', 'different', 'onlineOnly', 'failed'] as const;

export function reportText(t: Tally): string {
  const lines: string[] = [];
  const { total } = t;
  lines.push(`compared ${total.requests} requests: ${total.identical} identical, ${total.different} different, ${total.onlineOnly} differing only in is_online (timing), ${total.failed} failed`);
  lines.push(`the reference's statuses: ${[...t.byStatus].sort(([a], [b]) => a - b).map(([s, n]) => `${n} × ${s}`).join(', ') || '(none)'}`);
  if (t.skipped.size > 0) lines.push(`skipped from the file: ${[...t.skipped].map(([why, n]) => `${n} ${why}`).join(', ')}`);
  lines.push('', ...table('endpoint', t.byEndpoint), '', ...table('role', t.byRole), '', ...table('parameter', t.byParameter));
  if (t.sharedByDifferent !== undefined) lines.push('', `parameters every differing request carries: ${[...t.sharedByDifferent].sort().join(', ') || '(none)'}`);
  const section = (title: string, list: Compared[]) => list.length > 0 && lines.push('', title, ...list.flatMap(describe));
  section('first differences (reference vs candidate):', t.firstDifferences);
  section('first answers differing only in is_online:', t.firstOnlineOnly);
  section('first failed requests:', t.firstFailures);
  return `${lines.join('\n')}\n`;
}

function table(title: string, rows: Map<string, Counts>): string[] {
  if (rows.size === 0) return [];
  const names = [...rows.keys()].sort();
  const width = Math.max(title.length, ...names.map((n) => n.length));
  const head = [title.padEnd(width), ...COLUMNS.map((c) => (c === 'onlineOnly' ? 'is_online only' : c).padStart(14))].join(' ');
  return [head, ...names.map((n) => [n.padEnd(width), ...COLUMNS.map((c) => String(rows.get(n)![c]).padStart(14))].join(' '))];
}

function describe(c: Compared): string[] {
  const head = `GET ${c.target} as ${c.role}`;
  if ('failed' in c) return [head, `  ${c.failed.side} failed: ${c.failed.why}`];
  const all = [...c.verdict.differences, ...c.verdict.online];
  const more = all.length > FINDINGS_SHOWN ? [`  … and ${all.length - FINDINGS_SHOWN} more (--json lists them all)`] : [];
  return [head, ...all.slice(0, FINDINGS_SHOWN).map((d) => `  ${describeDifference(d)}`), ...more];
}

export function describeDifference(d: Difference): string {
  const value = (v: unknown) => (v === undefined ? '(absent)' : stringify(v) ?? String(v));
  return `${d.path} [${d.kind}]: ${value(d.reference)} vs ${value(d.candidate)}`;
}
