// monitoring/ (issue 19): the alerting rules pass Prometheus's own `promtool check rules`; every rollcall
// metric the rules and the dashboard name is one rollcall exports; docker-compose wires both in.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { createMetrics } from '../../shared/metrics';

const root = path.join(__dirname, '../..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');
const rules = parse(read('monitoring/prometheus/rules.yml')) as { groups: Array<{ rules: Array<{ alert: string; expr: string }> }> };
const dashboard = JSON.parse(read('monitoring/grafana/dashboards/rollcall.json')) as { panels: Array<{ targets: Array<{ expr: string }> }> };
const promtool = spawnSync('sh', ['-c', 'command -v promtool'], { encoding: 'utf8' }).stdout.trim();

/** Every series name rollcall's registry exports (a histogram's as its _bucket, _count and _sum). */
async function exported(): Promise<Set<string>> {
  const metrics = await createMetrics().registry.getMetricsAsJSON();
  return new Set(metrics.flatMap((m) => (String(m.type) === 'histogram' ? ['_bucket', '_count', '_sum'].map((s) => m.name + s) : [m.name])));
}
const named = (exprs: string[]) => [...new Set(exprs.flatMap((e) => e.match(/\brollcall_[a-z0-9_]+/g) ?? []))];

(promtool === '' ? it.skip : it)(promtool === '' ? 'passes promtool check rules (skipped: no promtool; apt-get install prometheus)' : 'passes promtool check rules', () => {
  const file = path.join(root, 'monitoring/prometheus/rules.yml');
  // Every rule of the file, read by promtool: as many as the file has `- alert:` lines.
  const alerts = fs.readFileSync(file, 'utf8').split('\n').filter((l) => /^\s*- alert:/.test(l)).length;
  expect(execFileSync(promtool, ['check', 'rules', file], { encoding: 'utf8' })).toContain(`SUCCESS: ${alerts} rules found`);
});

it('names only metrics rollcall exports, in the rules and in the dashboard', async () => {
  const names = await exported();
  const inRules = named(rules.groups.flatMap((g) => g.rules.map((r) => r.expr)));
  const inDashboard = named(dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)));
  expect(inRules.length).toBeGreaterThanOrEqual(8);
  expect(inDashboard.length).toBeGreaterThanOrEqual(8);
  expect([...inRules, ...inDashboard].filter((n) => !names.has(n))).toEqual([]);
});

it('alerts on every metric docs/operations.md tells to alert on', () => {
  const table = read('docs/operations.md').split('Metrics to alert on')[1]!.split('\n\n')[1]!;
  const toWatch = [...new Set(table.match(/`rollcall_[a-z0-9_]+/g)!.map((m) => m.slice(1)))];
  const exprs = rules.groups.flatMap((g) => g.rules.map((r) => r.expr)).join('\n');
  expect(toWatch.filter((m) => !exprs.includes(m) && !(m === 'rollcall_blocked_events' && exprs.includes('rollcall_blocked_users')))).toEqual([]);
});

it('wires Prometheus and Grafana into docker-compose, provisioned from monitoring/', () => {
  const services = (parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, { volumes: string[] }> }).services;
  expect(services.prometheus!.volumes).toContain('./monitoring/prometheus:/etc/prometheus:ro');
  expect(services.grafana!.volumes).toEqual(['./monitoring/grafana/provisioning:/etc/grafana/provisioning:ro', './monitoring/grafana/dashboards:/var/lib/grafana/dashboards:ro']);
  const scraped = parse(read('monitoring/prometheus/prometheus.yml')).scrape_configs.flatMap((c: { static_configs: Array<{ targets: string[] }> }) => c.static_configs.flatMap((s) => s.targets));
  expect(scraped).toEqual(['api:8000', 'projector:8000', 'activity:8000']);
});
