// The command-line side of `rollcall import`: the options, where the events go, the summary and the exit code
// (0 all imported, 1 some rows refused, 2 a bad call).
import { parseArgs } from 'node:util';
import { Config } from '../../shared/config';
import { createKafka, createProducer, ensureTopicsWith } from '../../shared/kafka';
import { Logger } from '../../shared/logger';
import { formatOf, openDump } from './dumpFormats';
import { importDump, ImportSummary } from './importDump';
import { dumpModels } from './models';
import { importProgress } from './progress';
import { Refusals } from './refusals';
import { dryRunSink, EventSink, fileSink, kafkaSink, VersionsFile } from './sinks';

export const IMPORT_USAGE = `usage: rollcall import [FILE|-] --user-model APP.MODEL [--field OURS=THEIRS]... [--format json|jsonl|yaml]
                      [--dry-run | --out FILE] [--versions FILE]   (docs/migration.md)`;

const OPTIONS = {
  'user-model': { type: 'string' },
  field: { type: 'string', multiple: true },
  format: { type: 'string' },
  'dry-run': { type: 'boolean' },
  out: { type: 'string' },
  versions: { type: 'string' },
} as const;

export class UsageError extends Error {}

export async function importCommand(args: string[], connect: () => { config: Config; logger: Logger }): Promise<number> {
  let parsed;
  try {
    parsed = parseCall(args);
  } catch (err) {
    process.stderr.write(`rollcall import: ${(err as Error).message}\n${IMPORT_USAGE}\n`);
    return 2;
  }
  const { file, format, models, values } = parsed;
  const refusals = new Refusals();
  const versions = values.versions === undefined ? undefined : new VersionsFile(values.versions);
  const run = { input: openDump(file), format, models, versions, refusals, progress: importProgress(process.stderr.isTTY === true) };
  let summary: ImportSummary;
  let where: string;
  if (values['dry-run'] === true || values.out !== undefined) {
    const sink: EventSink = values.out !== undefined ? fileSink(values.out) : dryRunSink();
    where = values.out !== undefined ? `written to ${values.out}` : 'checked (--dry-run: nothing published)';
    summary = await importDump({ ...run, sink });
  } else {
    const { config, logger } = connect();
    where = `published to ${config.topics.events}`;
    summary = await withProducer(config, logger, (sink) => importDump({ ...run, sink }));
  }
  process.stdout.write(formatSummary(summary, where));
  return summary.refused > 0 ? 1 : 0;
}

function parseCall(args: string[]) {
  const { values, positionals } = parseArgs({ args, options: OPTIONS, allowPositionals: true });
  if (positionals.length > 1) throw new UsageError('one dump at a time');
  if (values['user-model'] === undefined || !/^\w+\.\w+$/.test(values['user-model'])) throw new UsageError('--user-model APP.MODEL is required (e.g. accounts.user)');
  if (values['dry-run'] === true && values.out !== undefined) throw new UsageError('--dry-run or --out, not both');
  const renamed = new Map<string, string>();
  for (const f of values.field ?? []) {
    const m = /^(\w+)=(\w+)$/.exec(f);
    if (m === null) throw new UsageError(`--field takes OURS=THEIRS, got "${f}"`);
    renamed.set(m[1] as string, m[2] as string);
  }
  const file = positionals[0] ?? '-';
  return { file, format: formatOf(file, values.format), models: dumpModels(values['user-model'], renamed), values };
}

async function withProducer<T>(config: Config, logger: Logger, fn: (sink: EventSink) => Promise<T>): Promise<T> {
  const kafka = createKafka(config, logger);
  await ensureTopicsWith(kafka, config);
  const producer = createProducer(kafka);
  await producer.connect();
  try {
    return await fn(kafkaSink(producer, config.topics.events));
  } finally {
    await producer.disconnect();
  }
}

function formatSummary(s: ImportSummary, where: string): string {
  const skipped = [...s.skipped].map(([model, n]) => `${model} ${n}`).join(', ');
  return [
    `imported ${s.users} users (${s.tokens} with a token) and ${s.groups} groups: ${s.events} events ${where}`,
    s.refused > 0 ? `refused ${s.refused} rows (each listed above on stderr)` : 'refused no rows',
    `skipped (not read by rollcall): ${skipped === '' ? 'nothing' : skipped}`,
  ].join('\n') + '\n';
}
