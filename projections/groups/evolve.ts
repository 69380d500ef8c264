// The groups projection: a pure fold of one group event into the group's row (events.md, "Group events").
// Memberships live on the user rows; a deleted group stays as a tombstone so that the API can ignore
// memberships naming it, whichever order the partitions are read in.
import { EventMeta } from '../../shared/events/envelope';
import { GroupEventBody } from '../../shared/events/types';
import { evolveVersioned, Outcome } from '../versioning';

export type GroupRow = { id: string; version: string; name: string; permissions: number[]; deleted: boolean };
export type GroupEvent = { meta: EventMeta; body: GroupEventBody };

export function evolveGroup(state: GroupRow | undefined, event: GroupEvent): Outcome<GroupRow> {
  const { meta, body } = event;
  const rules = { subject: meta.subject, version: meta.version as bigint, creates: body.type === 'group.created', created: 'created' };
  return evolveVersioned(state, rules, () => apply(state, event));
}

function apply(group: GroupRow | undefined, { meta, body }: GroupEvent): GroupRow {
  if (body.type === 'group.created') {
    return { id: meta.subjectId, version: '0', name: body.data.name, permissions: [], deleted: false };
  }
  const g = group as GroupRow;
  switch (body.type) {
    case 'group.renamed':
      return { ...g, name: body.data.name };
    case 'group.deleted':
      return { ...g, deleted: true };
    case 'group.permission_granted':
      return { ...g, permissions: g.permissions.includes(body.data.code) ? g.permissions : [...g.permissions, body.data.code] };
    case 'group.permission_revoked':
      return { ...g, permissions: g.permissions.filter((c) => c !== body.data.code) };
    default: {
      const unhandled: never = body;
      throw new Error(`unhandled group event ${(unhandled as { type: string }).type}`);
    }
  }
}
