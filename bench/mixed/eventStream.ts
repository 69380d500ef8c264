// The writes of bench:throughput --mixed: a paced producer of the events a live directory sees (registrations,
// profile updates, logins and token uses, tokens issued and revoked, group joins), each subject's versions in
// order (events.md), at a steady rate of events per second over both topics.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Producer } from 'kafkajs';
import { rng } from '../../shared/random';

export type Subject = { id: bigint; version: number; hasToken: boolean };
type Topics = { events: string; activity: string };
type Message = { topic: string; key: string; value: string };

const NAMES = ['Ada', 'Grace', 'Linus', 'Barbara', 'Ken', 'Radia', 'Frances', 'Edsger', 'Anna', 'Sofia'];
const TICK_MS = 50;

/** Shares of the stream by kind (a sum of 100): mostly reads' neighbours, logins and profile edits. */
const MIX: ReadonlyArray<readonly [number, string]> = [
  [20, 'user.registered'], [25, 'user.profile_updated'], [20, 'user.logged_in'], [10, 'token.used'],
  [10, 'user.token_issued'], [10, 'user.token_revoked'], [5, 'user.joined_group'],
];

export class EventStream {
  private readonly subjects: Subject[];
  private readonly random = rng(11);
  private nextId: bigint;
  private timer: NodeJS.Timeout | null = null;
  private readonly inFlight = new Set<Promise<unknown>>();
  published = 0;
  failures = 0;

  /** `versions`: the last version of each user the stream may touch (the bench's own token holders left out). */
  constructor(private readonly producer: Producer, private readonly topics: Topics, versions: Map<bigint, number>, private readonly groupIds: readonly bigint[], firstNewId: bigint) {
    this.subjects = [...versions].map(([id, version]) => ({ id, version, hasToken: false }));
    this.nextId = firstNewId;
  }

  /** `rate` events per second from now, paced every 50 ms on the time elapsed (a late tick catches up). */
  start(rate: number): void {
    this.stopTimer();
    if (rate <= 0) return;
    const started = performance.now();
    let sent = 0;
    this.timer = setInterval(() => {
      const due = Math.floor(((performance.now() - started) / 1000) * rate) - sent;
      if (due <= 0) return;
      sent += due;
      this.send(Array.from({ length: due }, () => this.one()));
    }, TICK_MS);
  }

  /** Stops the stream; resolves once what it sent is acknowledged. */
  async stop(): Promise<void> {
    this.stopTimer();
    await Promise.allSettled([...this.inFlight]);
  }

  /** A registration of a new user named `username`; its subject. */
  register(username: string, extra: Record<string, unknown> = {}): Message & { subject: Subject } {
    const subject: Subject = { id: this.nextId++, version: 0, hasToken: false };
    return { ...this.event(subject, 'user.registered', { username, email: `${username}@example.com`, ...extra }), subject };
  }

  /** An event of `subject` with the next version. */
  event(subject: Subject, type: string, data: Record<string, unknown>): Message {
    subject.version++;
    const key = `user:${subject.id}`;
    const value = { specversion: '1.0', id: randomUUID(), source: '/bench/mixed', type, subject: key, time: new Date().toISOString(), datacontenttype: 'application/json', aggregateversion: subject.version, data };
    return { topic: this.topics.events, key, value: JSON.stringify(value) };
  }

  /** Publishes now, acknowledged by every in-sync replica. */
  async publish(messages: Message[]): Promise<void> {
    const byTopic = new Map<string, Message[]>();
    for (const m of messages) byTopic.set(m.topic, [...(byTopic.get(m.topic) ?? []), m]);
    await this.producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, ms]) => ({ topic, messages: ms.map(({ key, value }) => ({ key, value })) })) });
    this.published += messages.length;
  }

  private send(messages: Message[]): void {
    const p = this.publish(messages).catch(() => void this.failures++);
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private stopTimer(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  private one(): Message {
    let pick = this.random() * 100;
    const type = MIX.find(([share]) => (pick -= share) < 0)?.[1] ?? 'user.logged_in';
    if (type === 'user.registered') {
      const made = this.register(`mix${this.nextId}`, { first_name: this.name(), gender: this.name().length % 2 === 0 ? 'female' : 'male' });
      this.subjects.push(made.subject);
      return made;
    }
    const subject = this.subjects[Math.floor(this.random() * this.subjects.length)] as Subject;
    return this.change(subject, type);
  }

  private change(subject: Subject, type: string): Message {
    if (type === 'token.used') {
      const key = `user:${subject.id}`;
      return { topic: this.topics.activity, key, value: JSON.stringify({ specversion: '1.0', id: randomUUID(), source: '/bench/mixed', type, subject: key, time: new Date().toISOString(), data: {} }) };
    }
    if (type === 'user.profile_updated') return this.event(subject, type, this.random() < 0.5 ? { first_name: this.name() } : { last_name: `${this.name()}son`, mobile_number: `+1555${Math.floor(this.random() * 1e7)}` });
    if (type === 'user.joined_group') return this.event(subject, type, { group_id: Number(this.groupIds[Math.floor(this.random() * this.groupIds.length)]) });
    if (type === 'user.token_revoked' && subject.hasToken) {
      subject.hasToken = false;
      return this.event(subject, type, {});
    }
    if (type === 'user.token_issued' || type === 'user.token_revoked') {
      subject.hasToken = true;
      return this.event(subject, 'user.token_issued', { token_sha256: createHash('sha256').update(randomBytes(20)).digest('hex') });
    }
    return this.event(subject, 'user.logged_in', {});
  }

  private name(): string {
    return NAMES[Math.floor(this.random() * NAMES.length)] as string;
  }
}
