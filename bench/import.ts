// npm run bench:import -- [--users 1000000] [--format yaml|jsonl]
// A synthetic dumpdata of N users (groups, tokens, memberships, permissions: bench/djangoDump.ts) imported by the
// real command, beside its floors: reading the file alone (the same reader, converting nothing) and publishing
// the same events with no conversion (the lines of --out, sent raw). Then projected: dump to served.
// Targets (issue 26): >= 20,000 users/s; peak RSS <= 300 MB whatever the size; dump to served <= 5 min at 1M.
import { spawn } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { startProjector } from '../services/projector/consumer';
import { appliedTotal } from '../projections/checkpoints';
import { activeGeneration } from '../projections/generations';
import { dumpRows, openDump } from '../services/import/dumpFormats';
import { writeDump } from './djangoDump';
import { argNumber, argText, Bench, createProducer, fmt, openBench, report, seconds } from './kit';

const CLI = path.join(__dirname, '../../bin/rollcall.js');

/** Runs `rollcall import` with the bench's topics; its time and its peak RSS (VmHWM, read until it exits). */
async function runImport(b: Bench, args: string[]): Promise<{ seconds: number; peakMb: number }> {
  const env = { ...process.env, DATABASE_URL: b.config.databaseUrl, EVENTS_TOPIC: b.config.topics.events, ACTIVITY_TOPIC: b.config.topics.activity, DLQ_TOPIC: b.config.topics.dlq };
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [CLI, 'import', ...args, '--user-model', 'accounts.user'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  let peakKb = 0;
  const poll = setInterval(() => {
    const m = /VmHWM:\s+(\d+) kB/.exec(readStatus(child.pid));
    if (m !== null) peakKb = Math.max(peakKb, Number(m[1]));
  }, 100);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearInterval(poll);
  if (code !== 0) throw new Error(`rollcall import exited ${code}`);
  return { seconds: seconds(started), peakMb: peakKb / 1024 };
}

function readStatus(pid: number | undefined): string {
  try {
    return readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return ''; // the process has just exited: its last reading stands
  }
}

async function readAlone(file: string, format: 'yaml' | 'jsonl'): Promise<number> {
  const started = process.hrtime.bigint();
  let rows = 0;
  for await (const _ of dumpRows(openDump(file), format)) rows++;
  return rows / seconds(started);
}

async function publishRaw(b: Bench, eventsFile: string): Promise<{ events: number; seconds: number }> {
  const producer = createProducer(b.kafka);
  await producer.connect();
  const started = process.hrtime.bigint();
  let batch: Array<{ key: string; value: string }> = [];
  let events = 0;
  const topic = `${b.config.topics.events}-floor`;
  const admin = b.kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 6 }] });
  for await (const line of createInterface({ input: createReadStream(eventsFile), crlfDelay: Infinity })) {
    const tab = line.indexOf('\t');
    batch.push({ key: line.slice(0, tab), value: line.slice(tab + 1) });
    events++;
    if (batch.length >= 4000) {
      await producer.send({ topic, acks: -1, messages: batch });
      batch = [];
    }
  }
  if (batch.length > 0) await producer.send({ topic, acks: -1, messages: batch });
  const elapsed = seconds(started);
  await producer.disconnect();
  await admin.deleteTopics({ topics: [topic] });
  await admin.disconnect();
  return { events, seconds: elapsed };
}

async function projectAll(b: Bench, total: number): Promise<number> {
  const started = process.hrtime.bigint();
  const projector = await startProjector({ kafka: b.kafka, db: b.db, config: b.config, logger: b.logger });
  const schema = (await activeGeneration(b.db)).schema;
  while ((await appliedTotal(b.db, schema, b.config.topics.events)) < BigInt(total)) await new Promise((r) => setTimeout(r, 200));
  await projector.stop();
  return seconds(started);
}

async function main(): Promise<void> {
  const users = argNumber('users', 1_000_000);
  const format = (argText('format') ?? 'yaml') as 'yaml' | 'jsonl';
  const dir = mkdtempSync(path.join(tmpdir(), 'rollcall-bench-import-'));
  const b = await openBench('import');
  try {
    const dump = path.join(dir, `dump.${format}`);
    await writeDump(dump, format, { users, groups: 200 });
    const readRate = await readAlone(dump, format);
    const toFile = await runImport(b, [dump, '--out', path.join(dir, 'events.tsv')]);
    const floor = await publishRaw(b, path.join(dir, 'events.tsv'));
    const imported = await runImport(b, [dump]);
    const projected = await projectAll(b, floor.events);
    report(`bench:import: ${fmt(users)} users, ${format}, ${(statSync(dump).size / 2 ** 20).toFixed(0)} MB, ${fmt(floor.events)} events`, [
      ['floor: reading the file alone', `${fmt(readRate)} rows/s`],
      ['floor: publishing the events, no conversion', `${fmt(floor.events / floor.seconds)} events/s (${floor.seconds.toFixed(1)} s)`],
      ['import to a file (--out)', `${fmt(users / toFile.seconds)} users/s (${toFile.seconds.toFixed(1)} s), peak RSS ${toFile.peakMb.toFixed(0)} MB`],
      ['import to Kafka', `${fmt(users / imported.seconds)} users/s (${imported.seconds.toFixed(1)} s), peak RSS ${imported.peakMb.toFixed(0)} MB`],
      ['projected after the import', `${projected.toFixed(1)} s; dump to served ${(imported.seconds + projected).toFixed(1)} s`],
      ['targets', `>= 20,000 users/s: ${users / imported.seconds >= 20_000 ? 'met' : 'NOT met'}; RSS <= 300 MB: ${imported.peakMb <= 300 ? 'met' : 'NOT met'}; served <= 300 s: ${imported.seconds + projected <= 300 ? 'met' : 'NOT met'}`],
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await b.cleanup();
  }
}

main().catch((err) => {
  process.stderr.write(`bench:import failed: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
