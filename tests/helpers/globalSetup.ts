// Once per run: a throwaway template database, migrated, that each test file clones (rafiki's pattern).
import { createDb } from '../../shared/db';
import { migrate } from '../../projections/migrate';
import { databaseUrlFor, RUN_ID_VAR, TEMPLATE_DB_VAR } from './runEnv';

export default async function globalSetup(): Promise<void> {
  const id = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  const template = `rollcall_test_${id}`;
  const url = databaseUrlFor(template);
  const db = createDb(url, { min: 0, max: 1 });
  try {
    await migrate(db, url);
  } finally {
    await db.destroy();
  }
  process.env[RUN_ID_VAR] = id;
  process.env[TEMPLATE_DB_VAR] = template;
}
