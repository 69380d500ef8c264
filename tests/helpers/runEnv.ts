// What globalSetup decides for the whole run, handed to every jest worker through the environment.
export const RUN_ID_VAR = 'ROLLCALL_TEST_RUN_ID';
export const TEMPLATE_DB_VAR = 'ROLLCALL_TEST_TEMPLATE_DB';

export const baseDatabaseUrl = () => process.env.DATABASE_URL ?? 'postgres://postgres@localhost:5432/rollcall';

export function runId(): string {
  const id = process.env[RUN_ID_VAR];
  if (id === undefined) throw new Error(`${RUN_ID_VAR} is not set: run the tests through \`npm test\``);
  return id;
}

export function databaseUrlFor(name: string): string {
  const url = new URL(baseDatabaseUrl());
  url.pathname = `/${name}`;
  return url.toString();
}
