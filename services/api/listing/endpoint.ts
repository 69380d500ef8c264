// What an endpoint adds to the shared list handling: its audience, whether objects show details, who may
// list, and how a row is shown (customers/, users/).
import type { Principal } from '../auth';
import type { RawJson } from '../../../shared/json';
import type { Audience } from './parse/request';
import type { ListedRow } from './execute/statements';

export type Endpoint = Readonly<{
  audience: Audience;
  /** Whether objects show inviter, invitees and groups. */
  details: boolean;
  allowed: (p: Principal) => boolean;
  /** The row's object; `online` is `is_online`, or what to write in its place (render.ts marks where it goes). */
  serialize: (row: ListedRow, online: boolean | RawJson) => Record<string, unknown>;
}>;
