// `rollcall seed [--users N]`: publishes a demo history and prints an admin token and a curl that works.
import { Config } from '../../shared/config';
import { Logger } from '../../shared/logger';
import { createKafka, createProducer, ensureTopicsWith } from '../../shared/kafka';
import { buildHistory } from './history';

/** Publishes the history; prints what was sent, the admin token and a curl; returns the token and the curl. */
export async function seed(config: Config, logger: Logger, args: string[]): Promise<{ adminToken: string; curl: string }> {
  const usersArg = args[args.indexOf('--users') + 1];
  const users = args.includes('--users') ? Number(usersArg) : 300;
  if (!Number.isSafeInteger(users) || users < 1) throw new Error(`--users takes a positive whole number, got "${usersArg}"`);

  const kafka = createKafka(config, logger);
  const producer = createProducer(kafka);
  await ensureTopicsWith(kafka, config);
  await producer.connect();
  try {
    // Ids from the clock, so that seeding again adds new users instead of colliding with the last seed.
    const history = buildHistory({ users, idBase: BigInt(Math.floor(Date.now() / 1000)) * 10_000n, now: new Date() });
    const topicOf = { events: config.topics.events, activity: config.topics.activity };
    for (let i = 0; i < history.events.length; i += 1000) {
      const chunk = history.events.slice(i, i + 1000);
      await producer.sendBatch({
        acks: -1,
        topicMessages: (['events', 'activity'] as const).map((t) => ({
          topic: topicOf[t],
          messages: chunk.filter((e) => e.topic === t).map((e) => ({ key: e.subject, value: JSON.stringify(e.value) })),
        })).filter((tm) => tm.messages.length > 0),
      });
    }
    const host = config.http.host === '0.0.0.0' || config.http.host === '::' ? 'localhost' : config.http.host;
    const curl = `curl -s -H 'Authorization: Token ${history.adminToken}' 'http://${host}:${config.http.port}/api/users/?limit=5'`;
    process.stdout.write(
      `published ${history.events.length} events (${history.users} users, ${history.groups} groups)\n` +
        `admin token: ${history.adminToken}\n${curl}\n`,
    );
    return { adminToken: history.adminToken, curl };
  } finally {
    await producer.disconnect();
  }
}
