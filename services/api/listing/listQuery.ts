// One listing request → two statements, whatever the page size: the exact count and the page itself.
// Everything a page shows (inviter, invitees, groups) comes from subqueries of the page statement.
import { Knex } from 'knex';
import { Db } from '../../../shared/db';
import { table } from '../../../projections/readModel';
import { Page } from './pagination';
import { OrderTerm, orderBySql } from './ordering';

export type Audience = 'customers' | 'staff';
export type Condition = Readonly<{ sql: string; bindings: readonly Knex.Value[] }>;

export type ListedRow = {
  id: string;
  username: string;
  mobile_number: string | null;
  email: string | null;
  is_email_verified: boolean;
  avatar: string | null;
  first_name: string | null;
  last_name: string | null;
  full_name: string | null;
  gender: string | null;
  invited_by: string | null;
  invite_code: string | null;
  is_active: boolean;
  is_staff: boolean;
  is_admin: boolean;
  is_profile_completed: boolean;
  last_login: string | null;
  created_at: string;
  updated_at: string;
  inviter: { id: string; username: string; full_name: string | null } | null;
  invitees_count: string;
  groups: Array<{ id: string; name: string }> | null;
};

// Written as equalities so the planner can use the indexes that lead with is_customer.
const AUDIENCE: Record<Audience, string> = {
  customers: 'u.is_customer = true',
  staff: 'u.is_customer = false',
};

export async function listUsers(
  db: Db,
  schema: string,
  req: { audience: Audience; conditions: readonly Condition[]; ordering: readonly OrderTerm[]; page: Page; details: boolean },
): Promise<{ count: number; rows: ListedRow[] }> {
  const users = table(schema, 'users');
  const groups = table(schema, 'groups');
  const where = ['not u.deleted', AUDIENCE[req.audience], ...req.conditions.map((c) => c.sql)].join(' and ');
  const bindings = req.conditions.flatMap((c) => c.bindings);
  const details = req.details
    ? `,
      (select json_build_object('id', i.id::text, 'username', i.username, 'full_name', i.full_name)
         from ${users} i where i.id = u.invited_by and not i.deleted) as inviter,
      (select count(*) from ${users} i where i.invited_by = u.id and not i.deleted) as invitees_count,
      (select json_agg(json_build_object('id', g.id::text, 'name', g.name) order by g.id)
         from ${groups} g where g.id = any(u.group_ids) and not g.deleted) as groups`
    : '';
  const [count, page] = await Promise.all([
    db.raw<{ rows: { count: string }[] }>(`select count(*) from ${users} u where ${where}`, bindings),
    db.raw<{ rows: ListedRow[] }>(
      `select u.*${details} from ${users} u where ${where}
       order by ${orderBySql(req.ordering, 'u')} limit ? offset ?`,
      [...bindings, req.page.limit, req.page.offset],
    ),
  ]);
  return { count: Number(count.rows[0]?.count ?? 0), rows: page.rows };
}
