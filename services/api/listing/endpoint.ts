// What an endpoint adds to the shared list handling: its audience, whether objects show details, who may
// list, and how a row is shown (customers/, users/).
import type { Principal } from '../auth';
import type { Audience } from './parse/request';
import type { ListedRow } from './execute/statements';

export type Endpoint = Readonly<{
  audience: Audience;
  /** Whether objects show inviter, invitees and groups. */
  details: boolean;
  allowed: (p: Principal) => boolean;
  serialize: (row: ListedRow, online: boolean) => Record<string, unknown>;
}>;
