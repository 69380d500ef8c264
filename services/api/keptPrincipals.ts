// Authentications kept between requests (issue 25): a caller's principal stays while nothing it was read from
// changes. Each committed batch's notice names the users and groups whose change may change an authentication
// (projections/authChanges.ts); only their callers are dropped, so a steady stream of registrations, profile
// updates and logins leaves every kept authentication in place. Weighed by count; the least recently used go.
import { LRUCache } from 'lru-cache';
import type { Principal } from './auth';

export type KeptPrincipal = Readonly<{ principal: Principal; groups: readonly string[]; epoch: number }>;

export class KeptPrincipals {
  private readonly byUser = new Map<string, Set<string>>();
  private readonly byGroup = new Map<string, Set<string>>();
  private readonly kept: LRUCache<string, KeptPrincipal>;

  constructor(max: number) {
    this.kept = new LRUCache<string, KeptPrincipal>({ max, dispose: (v, key) => this.unindex(key, v) });
  }

  get(key: string): KeptPrincipal | undefined {
    return this.kept.get(key);
  }

  set(key: string, value: KeptPrincipal): void {
    this.kept.set(key, value);
    link(this.byUser, value.principal.id, key);
    for (const g of value.groups) link(this.byGroup, g, key);
  }

  delete(key: string): void {
    this.kept.delete(key);
  }

  /** Drops the callers these users are, and the members of these groups. */
  forget(users: readonly string[], groups: readonly string[]): void {
    for (const keys of [...users.map((u) => this.byUser.get(u)), ...groups.map((g) => this.byGroup.get(g))]) {
      for (const key of [...(keys ?? [])]) this.kept.delete(key);
    }
  }

  clear(): void {
    this.kept.clear();
  }

  get size(): number {
    return this.kept.size;
  }

  private unindex(key: string, value: KeptPrincipal): void {
    unlink(this.byUser, value.principal.id, key);
    for (const g of value.groups) unlink(this.byGroup, g, key);
  }
}

function link(index: Map<string, Set<string>>, id: string, key: string): void {
  let keys = index.get(id);
  if (keys === undefined) index.set(id, (keys = new Set()));
  keys.add(key);
}

function unlink(index: Map<string, Set<string>>, id: string, key: string): void {
  const keys = index.get(id);
  keys?.delete(key);
  if (keys?.size === 0) index.delete(id);
}
