// Histories for benchmarks: about 7.5 events per user of the common types, built as JSON text directly
// (fast enough to publish millions). Deterministic for a given user range.
import { createHash } from 'node:crypto';

export type BenchMessage = { key: string; value: string };

const TYPES_PER_USER = ['user.profile_updated', 'user.email_verified', 'user.token_issued', 'user.logged_in', 'user.joined_group', 'user.logged_in'];
const epoch = Date.parse('2024-01-01T00:00:00Z');

/** The events of users [from, to), in subject order (as one producer per subject would publish them). */
export function benchUserEvents(from: number, to: number, groups: number): BenchMessage[] {
  const out: BenchMessage[] = [];
  for (let id = from; id < to; id++) {
    const subject = `user:${id}`;
    let t = epoch + id * 1000;
    const emit = (version: number, type: string, data: string) => {
      t += 1 + (id % 997);
      const time = `${new Date(t).toISOString().slice(0, 19)}.${String((id * 7919 + version) % 1_000_000).padStart(6, '0')}Z`;
      out.push({ key: subject, value: `{"specversion":"1.0","id":"${id}-${version}","source":"/bench","type":"${type}","subject":"${subject}","time":"${time}","datacontenttype":"application/json","aggregateversion":${version},"data":${data}}` });
    };
    const staff = id % 10 === 0;
    emit(1, 'user.registered', `{"username":"user${id}","email":"user${id}@example.com","first_name":"First${id % 500}","last_name":"Last${id % 700}","is_staff":${staff}${id > 1 && id % 3 === 0 ? `,"invited_by":${id - 1}` : ''}}`);
    let v = 1;
    for (const type of TYPES_PER_USER) {
      if (type === 'user.email_verified' && id % 2 === 0) continue;
      v++;
      const data =
        type === 'user.profile_updated' ? `{"mobile_number":"+1555${id}","gender":"${['male', 'female', 'other'][id % 3]}"}`
        : type === 'user.token_issued' ? `{"token_sha256":"${createHash('sha256').update(`bench-${id}`).digest('hex')}"}`
        : type === 'user.joined_group' ? `{"group_id":${1 + (id % groups)}}`
        : '{}';
      emit(v, type, data);
    }
  }
  return out;
}

export function benchGroupEvents(groups: number): BenchMessage[] {
  return Array.from({ length: groups }, (_, i) => ({
    key: `group:${i + 1}`,
    value: `{"specversion":"1.0","id":"g${i + 1}","source":"/bench","type":"group.created","subject":"group:${i + 1}","time":"2024-01-01T00:00:00Z","aggregateversion":1,"data":{"name":"Group ${i + 1}"}}`,
  }));
}

/** A `token.used` of the activity topic (events.md): user `id` used its token at `time` (RFC 3339). */
export function tokenUsed(id: number, time: string, eventId: string): BenchMessage {
  return {
    key: `user:${id}`,
    value: `{"specversion":"1.0","id":"${eventId}","source":"/bench","type":"token.used","subject":"user:${id}","time":"${time}","data":{}}`,
  };
}
