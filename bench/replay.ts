// npm run bench:replay -- [--users 1000000]
// Publishes the histories of N users (about 6.5 events each), then times `rollcall replay` from offset 0 to
// the switch, beside the two floors of the same run: Kafka's raw consume rate of the topic and PostgreSQL's
// COPY of the resulting rows. Target (issue 6): a million users' histories in at most 5 minutes.
import { replay } from '../services/replay/replay';
import { copyRate, rawConsumeRate } from './floors';
import { argNumber, fmt, openBench, report, seconds } from './kit';
import { publish } from './projector';

async function main(): Promise<void> {
  const users = argNumber('users', 1_000_000);
  const b = await openBench('replay');
  try {
    const total = await publish(b, users);
    const kafkaRate = await rawConsumeRate(b, total);
    const started = process.hrtime.bigint();
    await replay(b.db, b.config, b.logger, { keepOld: true, interactive: process.stderr.isTTY === true });
    const elapsed = seconds(started);
    process.stderr.write(`replay: ${total} events in ${elapsed.toFixed(1)} s\n`);
    const copy = await copyRate(b, total);
    const floor = Math.min(kafkaRate, copy.eventsPerSecond);
    report(`bench:replay: ${fmt(users)} users, ${fmt(total)} events, ${b.config.kafka.brokers.join(',')}`, [
      ['floor: Kafka raw consume (kafkajs)', `${fmt(kafkaRate)} events/s (${(total / kafkaRate).toFixed(0)} s for the log)`],
      ['floor: PostgreSQL COPY of the rows', `${fmt(copy.rowsPerSecond)} rows/s (${copy.seconds.toFixed(1)} s for ${fmt(copy.rows)} rows = ${fmt(copy.eventsPerSecond)} events/s)`],
      ['rollcall replay, start to switch', `${elapsed.toFixed(1)} s = ${fmt(total / elapsed)} events/s = ${((100 * total) / elapsed / floor).toFixed(0)}% of the lower floor`],
      ['target', `<= 300 s: ${elapsed <= 300 ? 'met' : 'NOT met'}`],
    ]);
  } finally {
    await b.cleanup();
  }
}

main().catch((err) => {
  process.stderr.write(`bench:replay failed: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
