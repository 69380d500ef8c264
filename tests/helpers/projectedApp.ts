// A test environment with the projector running in-process on real Kafka and PostgreSQL, and the Koa app
// (not listening: supertest drives app.callback(), so the real middleware and router run).
import Koa from 'koa';
import { Config } from '../../shared/config';
import { createMetrics, Metrics } from '../../shared/metrics';
import { createApp } from '../../services/api/app';
import { startProjector, Running } from '../../services/projector/consumer';
import { OnlineStore } from '../../shared/activity/onlineStore';
import { ChangeFeed } from '../../services/api/changes/changeFeed';
import { BatchResult } from '../../projections/applyBatch';
import { Knex } from 'knex';
import { appliedTotal } from '../../projections/checkpoints';
import { activeGeneration } from '../../projections/generations';
import { createTestEnv, TestEnv } from './testEnv';
import { eventually, publish, RawEvent } from './events';
import { directoryHistory } from './fixtures/directory';

/** Messages of `topic` the serving generation has applied: what a test waits on. */
export async function projectedCount(db: Knex, topic: string): Promise<bigint> {
  return appliedTotal(db, (await activeGeneration(db)).schema, topic);
}

export type ProjectedApp = TestEnv & {
  app: Koa;
  metrics: Metrics;
  online: OnlineStore;
  /** The projector's notices, heard as the API role hears them (pushed changes, services/roles.ts). */
  changes: ChangeFeed;
  batches: BatchResult[];
  /** Starts a projector in this process; configOverride changes e.g. its consumer group. */
  startProjector: (configOverride?: Partial<Config>) => Promise<Running>;
  /** Waits until the projector has consumed `count` messages of the events topic in all. */
  waitForOffsets: (count: number) => Promise<void>;
  closeAll: () => Promise<void>;
};

export async function createProjectedApp(overrides: NodeJS.ProcessEnv = {}): Promise<ProjectedApp> {
  const env = await createTestEnv(overrides);
  const online = new OnlineStore(env.redis, env.config.redisPrefix, env.config.onlineWindowSeconds, (err) => env.logger.debug({ err }, 'could not record token activity'));
  const metrics = createMetrics();
  // As the API role runs: the projector's notices heard, the online set followed (services/roles.ts).
  const changes = ChangeFeed.of(env.db, env.logger).start();
  const unfollow = online.follow((err) => env.logger.debug({ err }, 'not following the online set'));
  const app = createApp({ db: env.db, redis: env.redis, online, changes, metrics, logger: env.logger, maxPageSize: env.config.maxPageSize, trustProxy: env.config.http.trustProxy, inMemorySearch: env.config.inMemorySearch, topics: env.config.topics });
  const batches: BatchResult[] = [];
  const running: Running[] = [];
  const start = async (configOverride: Partial<Config> = {}) => {
    const config = { ...env.config, ...configOverride };
    const r = await startProjector({ kafka: env.kafka, db: env.db, config, metrics, logger: env.logger, onBatch: (b) => batches.push(b) });
    let stopped = false;
    const once: Running = { stop: async () => { if (!stopped) { stopped = true; await r.stop(); } } };
    running.push(once);
    return once;
  };
  const waitForOffsets = async (count: number) => {
    await eventually(async () => ((await projectedCount(env.db, env.config.topics.events)) >= BigInt(count) ? true : undefined), 45_000, `${count} messages projected`);
  };
  return {
    ...env, app, metrics, online, changes, batches, startProjector: start, waitForOffsets,
    closeAll: async () => {
      for (const r of running) await r.stop();
      unfollow();
      await changes.close();
      await env.close();
    },
  };
}

/** A projected app whose projector has applied these messages (a generated history, a fixture). */
export async function projectedHistory(messages: readonly RawEvent[], overrides: NodeJS.ProcessEnv = {}): Promise<ProjectedApp> {
  const t = await createProjectedApp(overrides);
  await t.startProjector();
  await publish(t.kafka, t.config.topics.events, [...messages]);
  await t.waitForOffsets(messages.length);
  return t;
}

/** A projected app holding the hand-written directory of tests/helpers/fixtures/directory.ts. */
export function projectedDirectory(overrides: NodeJS.ProcessEnv = {}): Promise<ProjectedApp> {
  return projectedHistory(directoryHistory(), overrides);
}
