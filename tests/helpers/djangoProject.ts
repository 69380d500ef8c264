// The fixture Django project (tests/fixtures/django) with a database of the test's own: rows are created and
// dumped through Django itself, and the expected answers are what Django reads back from its own database.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseJsonExact } from '../../shared/json';

/** Debian's interpreter, where apt's python3-django and python3-djangorestframework are installed. */
const PYTHON = process.env.DJANGO_PYTHON ?? '/usr/bin/python3';
const PROJECT = path.join(__dirname, '../fixtures/django');

export type DjangoAnswers = { users: Array<Record<string, unknown>>; customers: Array<Record<string, unknown>> };

export class DjangoProject {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'rollcall-django-'));

  constructor() {
    this.manage(['migrate', '-v', '0']);
  }

  /** Runs manage.py; its stdout, or throws with its stderr. */
  manage(args: string[], input?: string): string {
    const env = { ...process.env, FIXTURE_DB: path.join(this.dir, 'db.sqlite3'), PYTHONDONTWRITEBYTECODE: '1' };
    const r = spawnSync(PYTHON, ['manage.py', ...args], { cwd: PROJECT, env, input, encoding: 'utf8', timeout: 60_000, maxBuffer: 1 << 28 });
    if (r.status !== 0) throw new Error(`manage.py ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    return r.stdout;
  }

  createUsers(spec: unknown): void {
    this.manage(['create_users', '-'], JSON.stringify(spec));
  }

  /** `manage.py dumpdata --format FORMAT`, written to a file of the test's folder; its path. */
  dump(format: 'json' | 'jsonl' | 'yaml'): string {
    const file = path.join(this.dir, `dump.${format}`);
    this.manage(['dumpdata', '--format', format, '-o', file]);
    return file;
  }

  /** What the service serves for every user, as the fixture's print_users reads it (ids exact). */
  answers(): DjangoAnswers {
    return parseJsonExact(this.manage(['print_users'])) as DjangoAnswers;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
