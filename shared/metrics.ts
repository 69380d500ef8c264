// Prometheus metrics of ops.md, one registry per process (prom-client).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type Metrics = Readonly<{
  registry: Registry;
  httpDuration: Histogram<'route' | 'method' | 'status'>;
  events: Counter<'type' | 'outcome'>;
  gaps: Counter<'type'>;
  lag: Gauge<'topic' | 'partition'>;
  replayApplied: Gauge<'generation'>;
  inMemoryUsers: Gauge;
  inMemoryBytes: Gauge;
  inMemoryLoaded: Gauge;
  inMemoryLoadSeconds: Gauge;
  inMemoryLoadedAt: Gauge;
  changeFeedLive: Gauge;
  httpProcesses: Gauge;
  blockedUsers: Gauge;
  blockedEvents: Gauge;
}>;

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'rollcall_process_' });
  return {
    registry,
    httpDuration: new Histogram({
      name: 'rollcall_http_request_duration_seconds',
      help: 'HTTP request latency by route and status',
      labelNames: ['route', 'method', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    events: new Counter({
      name: 'rollcall_events_total',
      help: 'Events of the events topic by type and outcome: applied, duplicate, unknown_type, dead_lettered, already_applied',
      labelNames: ['type', 'outcome'],
      registers: [registry],
    }),
    gaps: new Counter({
      name: 'rollcall_event_version_gaps_total',
      help: 'Events applied after a version gap (events lost upstream), by type',
      labelNames: ['type'],
      registers: [registry],
    }),
    lag: new Gauge({
      name: 'rollcall_consumer_lag',
      help: 'Messages between the last one applied and the log end, by partition, as of the last batch',
      labelNames: ['topic', 'partition'],
      registers: [registry],
    }),
    replayApplied: new Gauge({
      name: 'rollcall_replay_applied_events',
      help: 'Events a running replay has applied to the generation it builds (read from PostgreSQL at each scrape)',
      labelNames: ['generation'],
      registers: [registry],
    }),
    inMemoryUsers: new Gauge({
      name: 'rollcall_api_in_memory_users',
      help: 'Users (rows) the API holds in its in-memory index (services/api/index/); 0 while it loads, when PostgreSQL answers',
      registers: [registry],
    }),
    inMemoryLoaded: new Gauge({
      name: 'rollcall_api_in_memory_index_loaded',
      help: '1 while the API holds the serving generation\'s in-memory index; 0 while it loads (PostgreSQL answers alone meanwhile) or cannot be held',
      registers: [registry],
    }),
    inMemoryLoadSeconds: new Gauge({
      name: 'rollcall_api_in_memory_index_load_seconds',
      help: 'How long the last load of the in-memory index took, from its start to the index answering',
      registers: [registry],
    }),
    inMemoryLoadedAt: new Gauge({
      name: 'rollcall_api_in_memory_index_last_load_timestamp_seconds',
      help: 'When the last load of the in-memory index ended (Unix time)',
      registers: [registry],
    }),
    changeFeedLive: new Gauge({
      name: 'rollcall_api_change_feed_live',
      help: '1 while the API hears the projector\'s notices of commits (services/api/changes/); 0: every request asks PostgreSQL what changed, and nothing is kept',
      registers: [registry],
    }),
    httpProcesses: new Gauge({
      name: 'rollcall_api_http_processes',
      help: 'Processes of this API machine serving HTTP: API_PROCESSES, or fewer while one that died starts again (services/api/cluster/)',
      registers: [registry],
    }),
    inMemoryBytes: new Gauge({
      name: 'rollcall_api_in_memory_index_bytes',
      help: 'Bytes the in-memory index holds (its arrays, lists and maps, counted by the index itself)',
      registers: [registry],
    }),
    blockedUsers: new Gauge({
      name: 'rollcall_blocked_users',
      help: 'Users whose registration was dead-lettered and who are still not registered: every later event of theirs is dead-lettered too (read from PostgreSQL at each scrape)',
      registers: [registry],
    }),
    blockedEvents: new Gauge({
      name: 'rollcall_blocked_events',
      help: 'Events dead-lettered as "never registered" behind those registrations (read from PostgreSQL at each scrape)',
      registers: [registry],
    }),
  };
}
