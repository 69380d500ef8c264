// What the API's primary process needs of the app without its HTTP side (Koa): the pages of an index held here.
// The cluster's primary (cluster/primary.ts) holds the index for every HTTP process and loads no web framework;
// one process (app.ts) uses it too.
import type { Knex } from 'knex';
import type { Logger } from '../../shared/logger';
import type { Metrics } from '../../shared/metrics';
import { GenerationCache } from './generationCache';
import { IndexHolder } from './index/holder';
import { LocalPages } from './listing/pageSource';
import type { Changes } from './changes/changeFeed';
import type { CommittedCheckpoints } from './index/pushedChanges';
import { flagsSql } from './listing/parse/indexQuery';

/** What an index held here is made with (app.ts's AppDeps has them all). */
export type LocalPagesDeps = Readonly<{
  db: Knex; logger: Logger; metrics: Metrics; inMemorySearch: boolean; inMemoryIndex?: boolean; warmIndex?: boolean;
}>;

/**
 * The pages of an index this process holds, loaded at once when `warmIndex` says so, and again when a replay
 * switches the serving generation. The cluster's primary holds one for every HTTP process (cluster/primary.ts).
 * `feed` is the one the index follows; `committed`, when it is the primary's while `deps.db` is a replica
 * (changes/readFeeds.ts).
 */
export function localPages(deps: LocalPagesDeps, generations: GenerationCache, feed: Changes | null, committed: CommittedCheckpoints | null = null): LocalPages {
  const index = new IndexHolder(deps.db, deps.logger, { users: deps.metrics.inMemoryUsers, bytes: deps.metrics.inMemoryBytes, loaded: deps.metrics.inMemoryLoaded, loadSeconds: deps.metrics.inMemoryLoadSeconds, loadedAt: deps.metrics.inMemoryLoadedAt }, {
    search: deps.inMemorySearch, enabled: deps.inMemoryIndex ?? true, flags: flagsSql(),
  }, feed, committed);
  const warm = (schema: Promise<string>) => void schema.then((s) => index.warm(s), (err: unknown) => deps.logger.warn({ err }, 'could not read the serving generation'));
  if (deps.warmIndex === true) {
    warm(generations.schema());
    feed?.subscribe((e) => e.kind === 'generation' && warm(generations.refresh()));
  }
  return new LocalPages(deps.db, index);
}
