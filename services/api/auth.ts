// DRF's TokenAuthentication (api.md, "Authentication"): the key's SHA-256 is looked up among issued tokens.
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { GenerationCache } from './generationCache';
import { Db } from '../../shared/db';
import { table } from '../../projections/readModel';
import { ApiError, notAuthenticated } from './errors';
import { KeptPrincipals } from './keptPrincipals';
import type { HeardChange } from '../../projections/changeNotice';

export type Principal = Readonly<{ id: string; isStaff: boolean; isAdmin: boolean; permissions: ReadonlySet<number> }>;

/** The key of an `Authorization: Token <key>` header, null when there is no token header at all. */
export function tokenKey(header: string | undefined): string | null {
  // What nearly every request sends: the scheme, one space, printable ASCII. Read as the general case would.
  if (header !== undefined && header.length > 6 && /^[Tt][Oo][Kk][Ee][Nn] [\x21-\x7e]+$/.test(header)) return header.slice(6);
  // DRF splits the header's bytes on ASCII whitespace; Node hands us those bytes as latin1 characters.
  const parts = (header ?? '').split(/[ \t\n\r\v\f]+/).filter((p) => p !== '');
  if (parts.length === 0 || parts[0]?.toLowerCase() !== 'token') return null;
  if (parts.length === 1) throw notAuthenticated('Invalid token header. No credentials provided.');
  if (parts.length > 2) throw notAuthenticated('Invalid token header. Token string should not contain spaces.');
  const bytes = Buffer.from(parts[1] as string, 'latin1');
  const key = bytes.toString('utf8');
  if (!Buffer.from(key, 'utf8').equals(bytes)) {
    throw notAuthenticated('Invalid token header. Token string should not contain invalid characters.');
  }
  return key;
}

type PrincipalRow = { id: string; is_active: boolean; is_staff: boolean; is_admin: boolean; permissions: number[]; group_ids: string[] };
type Looked = Readonly<{ principal: Principal; groups: readonly string[] }>;

const digestOf = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');

/** What the authenticator reads of the change feed (services/api/changes/changeFeed.ts). */
export interface AuthFeed {
  /** Whether notices are heard now, proven by its heartbeat: while not, nothing is kept or trusted. */
  readonly isLive: boolean;
  /** Changes at every (re)connection, loss and generation switch: notices may have gone unheard. */
  readonly epoch: number;
  subscribe(fn: (e: HeardChange) => void): unknown;
}

/**
 * DRF's TokenAuthentication behind guards, so a flood of bad tokens cannot flood PostgreSQL: a digest
 * that failed is answered from memory for `failureTtlMs` (at most `maxEntries` kept, oldest out), and
 * concurrent requests with the same digest share one lookup. A success is kept while the change feed is live
 * and no notice named its user or one of its groups (keptPrincipals.ts): a revoked token, a change of role or
 * permission counts within a notice's delivery; without a live feed it is never kept. Only SHA-256 digests
 * are kept, never a token.
 */
export class Authenticator {
  /** Keyed by schema and digest: a replay's new generation starts with no remembered failures. */
  private readonly failures: LRUCache<string, Error>;
  private readonly successes: KeptPrincipals;
  /** Lookups under way, by what a notice had said when they began: one begun before a change is not joined after it. */
  private readonly inFlight = new Map<string, Promise<Principal>>();
  /** Bumped by every notice that may change an authentication (and every epoch): a lookup spanning one is not kept. */
  private heard = 0;

  /**
   * `db` is the primary (DATABASE_URL) even when the lists read a replica: a revoked or deleted token is
   * refused at once, whatever the replica's lag. `generations` is the primary's serving generation.
   */
  constructor(
    private readonly db: Db,
    private readonly generations: GenerationCache,
    private readonly feed: AuthFeed | null = null,
    maxEntries = 10_000,
    failureTtlMs = 1_000,
  ) {
    this.successes = new KeptPrincipals(maxEntries);
    this.failures = new LRUCache<string, Error>({ max: maxEntries, ttl: failureTtlMs });
    feed?.subscribe((e) => this.hear(e));
  }

  /** Reads the primary's serving generation again (a replay switched it while a request ran). */
  async refreshGeneration(): Promise<void> {
    await this.generations.refresh();
  }

  async authenticate(key: string): Promise<Principal> {
    const schema = await this.generations.schema();
    const digest = digestOf(key);
    const cacheKey = `${schema}:${digest}`;
    const failed = this.failures.get(cacheKey);
    if (failed !== undefined) throw failed;
    const known = this.successes.get(cacheKey);
    if (known !== undefined && this.feed?.isLive === true && known.epoch === this.feed.epoch) return known.principal;
    return this.inFlight.get(`${this.heard}:${cacheKey}`) ?? this.lookUpOnce(schema, digest, cacheKey);
  }

  private hear(e: HeardChange): void {
    if (e.kind === 'batch' && e.auth !== 'all' && e.auth.users.length + e.auth.groups.length === 0) return;
    this.heard++;
    if (e.kind === 'batch' && e.auth !== 'all') this.successes.forget(e.auth.users, e.auth.groups);
    else this.successes.clear();
    // A token issued since may be one that failed a moment ago.
    this.failures.clear();
  }

  private lookUpOnce(schema: string, digest: string, cacheKey: string): Promise<Principal> {
    // Read before the lookup: a notice heard while it runs may be of a change it did not see.
    const heard = this.heard;
    const epoch = this.feed?.isLive === true ? this.feed.epoch : null;
    const flight = `${heard}:${cacheKey}`;
    const pending = lookUp(this.db, schema, digest)
      .then(({ principal, groups }) => {
        if (epoch !== null && heard === this.heard && this.feed?.isLive === true && this.feed.epoch === epoch) {
          this.successes.set(cacheKey, { principal, groups, epoch });
        }
        return principal;
      })
      .catch((err: unknown) => {
        if (err instanceof ApiError) this.remember(cacheKey, err); // a refusal, not an outage
        throw err;
      })
      .finally(() => this.inFlight.delete(flight));
    this.inFlight.set(flight, pending);
    return pending;
  }

  private remember(cacheKey: string, error: Error): void {
    this.successes.delete(cacheKey);
    this.failures.set(cacheKey, error);
  }
}

/** The user holding this digest, with the permissions it holds directly and through existing groups. */
async function lookUp(db: Db, schema: string, digest: string): Promise<Looked> {
  const { rows } = await db.raw<{ rows: PrincipalRow[] }>(
    `select u.id, u.is_active, u.is_staff, u.is_admin, u.group_ids,
       u.permissions || coalesce((select array_agg(p) from ${table(schema, 'groups')} g, unnest(g.permissions) p
                                  where g.id = any(u.group_ids) and not g.deleted), '{}') as permissions
     from ${table(schema, 'users')} u
     where u.token_sha256 = ? and not u.deleted
     limit 1`,
    [digest],
  );
  const row = rows[0];
  if (row === undefined) throw notAuthenticated('Invalid token.');
  if (!row.is_active) throw notAuthenticated('User inactive or deleted.');
  return { principal: { id: row.id, isStaff: row.is_staff, isAdmin: row.is_admin, permissions: new Set(row.permissions) }, groups: row.group_ids };
}
