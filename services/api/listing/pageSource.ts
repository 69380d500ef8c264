// Where a list request's count and rows come from, and under which version they may be kept (kept.ts). In one
// process: the index this process holds (LocalPages). With HTTP served by several processes, the one process
// that holds the index answers the others (services/api/cluster/).
import type { Knex } from 'knex';
import type { OnlineSnapshot } from '../../../shared/activity/onlineSnapshot';
import type { IndexHolder } from '../index/holder';
import type { ListedRow } from './execute/statements';
import type { ListRequest } from './parse/request';
import type { Endpoint } from './endpoint';
import { wantsIndex } from './plan/planner';
import { listUsers } from './execute/execute';

export type Page = Readonly<{ count: number; rows: readonly ListedRow[] }>;

/** What a page is asked with: the request parsed, and as sent (another process parses it again). */
export type PageAsked = Readonly<{ schema: string; endpoint: Endpoint; req: ListRequest; querystring: string; online: OnlineSnapshot | null }>;

export interface PageSource {
  /**
   * The version answers of `schema` may be kept under now, with no round trip, or null when none may be: it
   * changes whenever a committed batch may change an answer.
   */
  keepVersion(schema: string): string | null;
  page(asked: PageAsked): Promise<Page>;
}

/** The pages of this process's index (or of PostgreSQL, while it loads or when the planner says so). */
export class LocalPages implements PageSource {
  constructor(private readonly db: Knex, readonly index: IndexHolder) {}

  keepVersion(schema: string): string | null {
    const now = this.index.currentNow(schema);
    return now === null ? null : String(now.version);
  }

  async page({ schema, req, online }: PageAsked): Promise<Page> {
    const index = wantsIndex(req) ? await this.index.current(schema) : null;
    return listUsers(this.db, schema, req, { online: req.online === null ? null : online, index });
  }
}
