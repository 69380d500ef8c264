// One row of the users table as the projector reads and writes it (column names as in PostgreSQL).
export type UserRow = {
  id: string;
  version: string;
  username: string;
  email: string | null;
  mobile_number: string | null;
  first_name: string | null;
  last_name: string | null;
  gender: string | null;
  avatar: string | null;
  invited_by: string | null;
  invite_code: string | null;
  is_active: boolean;
  is_staff: boolean;
  is_admin: boolean;
  is_email_verified: boolean;
  last_login: string | null;
  created_at: string;
  updated_at: string;
  token_sha256: string | null;
  permissions: number[];
  group_ids: string[];
  deleted: boolean;
};

/** The columns the projector writes (the generated ones are PostgreSQL's). */
export const USER_COLUMNS = [
  ['id', 'bigint'],
  ['version', 'bigint'],
  ['username', 'text'],
  ['email', 'text'],
  ['mobile_number', 'text'],
  ['first_name', 'text'],
  ['last_name', 'text'],
  ['gender', 'text'],
  ['avatar', 'text'],
  ['invited_by', 'bigint'],
  ['invite_code', 'text'],
  ['is_active', 'boolean'],
  ['is_staff', 'boolean'],
  ['is_admin', 'boolean'],
  ['is_email_verified', 'boolean'],
  ['last_login', 'timestamptz'],
  ['created_at', 'timestamptz'],
  ['updated_at', 'timestamptz'],
  ['token_sha256', 'text'],
  ['permissions', 'integer[]'],
  ['group_ids', 'bigint[]'],
  ['deleted', 'boolean'],
] as const satisfies ReadonlyArray<readonly [keyof UserRow, string]>;
