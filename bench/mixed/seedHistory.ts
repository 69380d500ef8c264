// The directory bench:throughput --mixed starts from: the demo seed's history (services/seed/history.ts: profiles,
// invitations, roles, groups with permissions, tokens, logins) plus staff users whose tokens the bench knows, so
// that customers' requests are made by staff and users' by the admin (api.md's roles).
import { createHash, randomBytes } from 'node:crypto';
import { Producer } from 'kafkajs';
import { buildHistory, SeedEvent } from '../../services/seed/history';

export type SeedPlan = {
  events: SeedEvent[];
  adminToken: string;
  staffTokens: string[];
  /** The users the event stream may change, with their last version: neither the admin nor a token holder of the bench's. */
  versions: Map<bigint, number>;
  groupIds: bigint[];
  /** Users once everything is projected (customers and users together). */
  users: number;
  /** Past every seeded id: where the stream's registrations start. */
  firstNewId: bigint;
};

const ID_BASE = 7_000_000_000n;
const STAFF_HOLDERS = 8;

/** The same history for every deployment of a run (a fixed seed; fresh tokens per run). */
export function planSeed(users: number, now: Date): SeedPlan {
  const history = buildHistory({ users, idBase: ID_BASE, now, seed: 42 });
  const staffTokens = Array.from({ length: STAFF_HOLDERS }, () => randomBytes(20).toString('hex'));
  const holderBase = ID_BASE + 1000n + BigInt(users) + 10n;
  const events = [...history.events, ...staffTokens.flatMap((token, i) => holder(holderBase + BigInt(i), token, now))];
  const versions = new Map<bigint, number>();
  for (const e of history.events) {
    if (e.topic === 'events' && e.subject.startsWith('user:')) versions.set(BigInt(e.subject.slice(5)), Number(e.value.aggregateversion));
  }
  versions.delete(ID_BASE + 1000n); // the seed's first user is its admin
  const groupIds = [...new Set(history.events.filter((e) => e.subject.startsWith('group:')).map((e) => BigInt(e.subject.slice(6))))];
  return { events, adminToken: history.adminToken, staffTokens, versions, groupIds, users: users + STAFF_HOLDERS, firstNewId: holderBase + 1000n };
}

function holder(id: bigint, token: string, now: Date): SeedEvent[] {
  const subject = `user:${id}`;
  const event = (version: number, type: string, data: Record<string, unknown>): SeedEvent => ({
    topic: 'events', subject,
    value: { specversion: '1.0', id: `${subject}-${version}`, source: '/bench/mixed', type, subject, time: now.toISOString(), datacontenttype: 'application/json', aggregateversion: version, data },
  });
  return [
    event(1, 'user.registered', { username: `bench.staff${id}`, email: `bench.staff${id}@example.com`, is_staff: true }),
    event(2, 'user.token_issued', { token_sha256: createHash('sha256').update(token).digest('hex') }),
  ];
}

/** Publishes the plan's events to the deployment's topics, in order per subject. */
export async function publishSeed(producer: Producer, plan: SeedPlan, topics: { events: string; activity: string }): Promise<void> {
  for (let i = 0; i < plan.events.length; i += 2_000) {
    const chunk = plan.events.slice(i, i + 2_000);
    const topicMessages = (['events', 'activity'] as const).map((t) => ({
      topic: topics[t],
      messages: chunk.filter((e) => e.topic === t).map((e) => ({ key: e.subject, value: JSON.stringify(e.value) })),
    }));
    await producer.sendBatch({ acks: -1, topicMessages: topicMessages.filter((tm) => tm.messages.length > 0) });
  }
}
