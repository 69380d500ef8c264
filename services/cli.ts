#!/usr/bin/env node
// `rollcall <command>`: the one command-line entry (ops.md, "Processes").
import { Knex } from 'knex';
import { Config, ConfigError, loadConfig } from '../shared/config';
import { createLogger, Logger } from '../shared/logger';
import { Generation } from '../projections/generations';
import type { Role } from './roles';
import { withRetry } from './retry';
import { httpWorkersFor } from './api/cluster/workers';
// Each command's modules are loaded when it runs (`await import`): a role's process starts without the others'.

const ROLES: Record<string, Role[]> = {
  api: ['api'],
  project: ['project'],
  activity: ['activity'],
  all: ['project', 'activity', 'api'],
};

const USAGE = `usage: rollcall <command>
  api        the Koa query service
  project    consumes user-events into the PostgreSQL read model
  activity   consumes user-activity into Redis
  all        the three above in one process (what \`npm start\` runs); --demo also seeds (\`npm run demo\`)
  migrate    creates the database if missing and applies migrations
  seed       publishes a demo history to Kafka; prints an admin token and a curl command
  status     per partition log end, applied offset and lag; last event time; generation; DLQ size (--json)
  replay     rebuilds the read model from the first event beside the serving one, then switches (--keep-old)
  dlq list   the dead letters, once each, with why and where from, the events a dead-lettered
             registration blocks listed under it (--json)
  dlq redrive  re-publishes the dead letters to the events topic after a fix, each once
  events check [FILE|-]  for publishers: what the projector would do with each key<TAB>value line (--json);
             exit code 1 when any would be dead-lettered
  compare --reference URL (FILE|-|--generate N)  asks the Django service and rollcall the same requests and
             reports every difference (--help for its options); exit code 1 on any difference
  import [FILE|-] --user-model APP.MODEL  publishes a Django \`manage.py dumpdata\` (JSON, JSON Lines, YAML)
             as the contract's events (--field OURS=THEIRS, --format, --dry-run, --out FILE, --versions FILE);
             exit code 1 when any row was refused (docs/migration.md)
  last-version SUBJECT  the last aggregateversion the read model applied for user:<id> or group:<id>`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  // Offline: no configuration, no database, no broker.
  if (command === 'events') return (await import('./eventsCheck/command')).eventsCommand(rest);
  if (command === 'compare') return (await import('./compare/command')).compareCommand(rest, () => `http://127.0.0.1:${loadConfig().http.port}`);
  // Offline with --dry-run or --out: the configuration is read only to publish.
  if (command === 'import') {
    return (await import('./import/command')).importCommand(rest, () => {
      const config = loadConfig();
      return { config, logger: createLogger(config.logLevel, { stderr: true, format: config.logFormat }) };
    });
  }
  if (!Object.hasOwn(ROLES, command) && !Object.hasOwn(ONE_SHOT, command) && command !== 'seed') {
    process.stderr.write(`rollcall: unknown command "${command}"\n${USAGE}\n`);
    return 2;
  }
  const config = loadConfig();
  const logger = createLogger(config.logLevel, { stderr: !Object.hasOwn(ROLES, command), format: config.logFormat });
  const roles = Object.hasOwn(ROLES, command) ? ROLES[command] : undefined;
  if (roles !== undefined) {
    // The API's HTTP processes first: they start beside this one's loading (cluster/workers.ts).
    const workers = httpWorkersFor(roles, config.apiProcesses, logger);
    await (await import('./roles')).runRoles(roles, config, logger, workers);
    if (command === 'all' && rest.includes('--demo')) await demo(config, logger);
    return -1; // keeps running until a signal
  }
  const oneShot = Object.hasOwn(ONE_SHOT, command) ? ONE_SHOT[command] : undefined;
  if (oneShot !== undefined) return withDatabase(config, logger, (db, gen) => oneShot({ db, gen, config, logger, args: rest }));
  await (await import('./seed/seed')).seed(config, logger, rest);
  return 0;
}

/** `rollcall all --demo`: seeds, waits until the seeded admin can list users, then prints the curl again. */
async function demo(config: Config, logger: Logger): Promise<void> {
  const { adminToken, curl } = await (await import('./seed/seed')).seed(config, logger, []);
  const url = `http://127.0.0.1:${config.http.port}/api/users/?limit=1`;
  for (let i = 0; i < 300; i++) {
    const status = await fetch(url, { headers: { authorization: `Token ${adminToken}` } }).then((r) => r.status, () => 0);
    if (status === 200) {
      process.stdout.write(`\nrollcall is ready with demo data. Try:\n  ${curl}\n\n`);
      return;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  logger.warn('the demo data did not show up within a minute; see the log above');
}

type OneShot = (c: { db: Knex; gen: Generation; config: Config; logger: Logger; args: string[] }) => Promise<number>;

/** Commands that run once against the database (migrated first, waiting for PostgreSQL) and exit. */
const ONE_SHOT: Record<string, OneShot> = {
  migrate: async ({ gen }) => {
    process.stdout.write(`migrated; serving read-model generation ${gen.id} (${gen.schema})\n`);
    return 0;
  },
  replay: async ({ db, config, logger, args }) => {
    const interrupt = () => {
      process.stderr.write('rollcall replay: interrupted; the serving generation is untouched; run replay again to start over\n');
      process.exit(130);
    };
    process.once('SIGINT', interrupt);
    process.once('SIGTERM', interrupt);
    const gen = await (await import('./replay/replay')).replay(db, config, logger, { keepOld: args.includes('--keep-old'), interactive: process.stderr.isTTY === true });
    process.stdout.write(`replayed; serving read-model generation ${gen.id} (${gen.schema})\n`);
    return 0;
  },
  dlq: async ({ db, config, logger, args }) => {
    const [sub] = args;
    if (sub !== 'list' && sub !== 'redrive') {
      process.stderr.write('usage: rollcall dlq list [--json] | rollcall dlq redrive\n');
      return 2;
    }
    const [{ createKafka }, { readDeadLetters, redrive }, { formatByCause, groupByCause }] = await Promise.all([import('../shared/kafka'), import('./dlq/dlq'), import('./dlq/causes')]);
    const kafka = createKafka(config, logger);
    if (sub === 'redrive') {
      const r = await redrive(db, kafka, config);
      process.stdout.write(`redrove ${r.redriven} dead letters to ${config.topics.events}; ${r.skipped} were redriven before\n`);
    } else {
      const letters = groupByCause(await readDeadLetters(kafka, config));
      process.stdout.write(args.includes('--json') ? `${JSON.stringify(letters, null, 2)}\n` : formatByCause(letters));
    }
    return 0;
  },
  'last-version': async ({ db, gen, args }) => (await import('./import/lastVersion')).lastVersionCommand(db, gen, args),
  status: async ({ db, config, logger, args }) => {
    const [{ createKafka }, { collectStatus, formatStatus }] = await Promise.all([import('../shared/kafka'), import('./status/status')]);
    const status = await collectStatus(db, createKafka(config, logger), config);
    process.stdout.write(args.includes('--json') ? `${JSON.stringify(status, null, 2)}\n` : formatStatus(status));
    return 0;
  },
};

async function withDatabase(config: Config, logger: Logger, fn: (db: Knex, gen: Generation) => Promise<number>): Promise<number> {
  const [{ createDb }, { migrate }] = await Promise.all([import('../shared/db'), import('../projections/migrate')]);
  const db = createDb(config.databaseUrl, { min: 0, max: 6 }, logger);
  try {
    const gen = await withRetry('postgresql', () => migrate(db, config.databaseUrl), logger);
    return await fn(db, gen);
  } finally {
    await db.destroy();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    // One clear line, never a stack trace, for what an operator can fix (ops.md).
    const message = err instanceof ConfigError ? err.message : `rollcall: ${(err as Error).message ?? String(err)}`;
    process.stderr.write(`${message}\n`);
    // A refusal the operator can act on carries its exit code (replay.ts's ReplayRefused: 2).
    process.exit(err instanceof ConfigError ? 2 : ((err as { exitCode?: number }).exitCode ?? 1));
  },
);
