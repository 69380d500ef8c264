import { Kafka, logLevel as KafkaLogLevel, LogEntry, ITopicConfig, Admin, Partitioners, Producer, ConsumerConfig } from 'kafkajs';
import { Config } from './config';
import { Logger } from './logger';
import { TransientBrokerStates } from './kafkaLog';

export function createKafka(config: Config, logger: Logger): Kafka {
  const log = logger.child({ component: 'kafkajs' });
  const transient = new TransientBrokerStates();
  return new Kafka({
    clientId: config.kafka.clientId,
    brokers: config.kafka.brokers,
    connectionTimeout: 5_000,
    retry: { initialRetryTime: 300, retries: 8, maxRetryTime: 10_000 },
    logLevel: KafkaLogLevel.WARN,
    logCreator: () => (entry: LogEntry) => {
      const { message, ...extra } = entry.log;
      const level = transient.level(entry.level <= KafkaLogLevel.ERROR ? 'error' : entry.level === KafkaLogLevel.WARN ? 'warn' : 'debug', extra.error);
      log[level]({ namespace: entry.namespace, ...extra }, message);
    },
  });
}

/**
 * An idempotent producer (the broker drops a retried send it already has) that partitions keys as Java
 * clients do (murmur2), so a subject's messages land where upstream's would. Idempotence needs unbounded
 * retries: while Kafka is down a send waits (backing off up to 10 s) rather than failing; a role's
 * shutdown deadline still bounds how long a stop can wait for it.
 */
export function createProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    retry: { retries: Number.MAX_SAFE_INTEGER, maxRetryTime: 10_000 },
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: false,
  });
}

/**
 * The consumer settings every role shares: the configured session (how long a dead member keeps its
 * partitions), heartbeats well inside it, and a short fetch wait, which bounds how long a stop waits for
 * an idle fetch (ops.md: exit within 10 s).
 */
export function consumerOptions(config: Config, groupId: string): ConsumerConfig {
  return {
    groupId,
    sessionTimeout: config.kafka.sessionTimeoutMs,
    heartbeatInterval: Math.min(3_000, Math.floor(config.kafka.sessionTimeoutMs / 3)),
    maxWaitTimeInMs: 1_000,
  };
}

export const TOPIC_PARTITIONS = 6;
const FOREVER = '-1';
const ONE_DAY_MS = String(24 * 60 * 60 * 1000);
const DLQ_MESSAGE_BYTES = String(8 * 1024 * 1024);

/** The topics of events.md with their retention; creates the missing ones, leaves existing ones alone. */
export function topicSpecs(config: Config): ITopicConfig[] {
  return [
    { topic: config.topics.events, numPartitions: TOPIC_PARTITIONS, configEntries: [{ name: 'retention.ms', value: FOREVER }] },
    { topic: config.topics.activity, numPartitions: TOPIC_PARTITIONS, configEntries: [{ name: 'retention.ms', value: ONE_DAY_MS }] },
    // A dead letter is a message the events topic took plus rollcall's headers: room for the largest message
    // the events topic can have been configured to take (publishDeadLetters sends one that large alone).
    { topic: config.topics.dlq, numPartitions: 1, configEntries: [{ name: 'retention.ms', value: FOREVER }, { name: 'max.message.bytes', value: DLQ_MESSAGE_BYTES }] },
  ];
}

/** ensureTopics through an admin client of its own, closed afterwards. */
export async function ensureTopicsWith(kafka: Kafka, config: Config): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await ensureTopics(admin, config);
  } finally {
    await admin.disconnect();
  }
}

export async function ensureTopics(admin: Admin, config: Config): Promise<void> {
  const specs = topicSpecs(config);
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((t) => !existing.has(t.topic));
  if (missing.length > 0) {
    try {
      await admin.createTopics({ topics: missing, waitForLeaders: false });
    } catch (err) {
      // Another process created them between the list and the create.
      if ((err as { type?: string }).type !== 'TOPIC_ALREADY_EXISTS') throw err;
    }
  }
  await waitForLeaders(admin, specs.map((t) => t.topic));
}

/**
 * Waits until every partition of the topics has a leader. kafkajs's own wait retries only
 * LEADER_NOT_AVAILABLE, but a broker that has just created a topic may first answer
 * UNKNOWN_TOPIC_OR_PARTITION while its metadata catches up.
 */
async function waitForLeaders(admin: Admin, topics: string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
      if (metadata.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
    } catch (err) {
      const type = (err as { type?: string }).type;
      if (type !== 'UNKNOWN_TOPIC_OR_PARTITION' && type !== 'LEADER_NOT_AVAILABLE') throw err;
    }
    if (Date.now() > deadline) throw new Error(`topics ${topics.join(', ')} have no leader after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
