// `rollcall last-version user:<id>`: the subject's last aggregateversion in the serving read model, the number a
// writer's next event of that subject continues from (+1). Exit code 1 when the read model never saw it.
import { Knex } from 'knex';
import { Generation } from '../../projections/generations';
import { table } from '../../projections/readModel';

export async function lastVersionCommand(db: Knex, gen: Generation, args: string[]): Promise<number> {
  const m = args.length === 1 ? /^(user|group):([1-9]\d{0,18})$/.exec(args[0] as string) : null;
  if (m === null) {
    process.stderr.write('usage: rollcall last-version user:<id>|group:<id>\n');
    return 2;
  }
  const [, kind, id] = m as unknown as [string, 'user' | 'group', string];
  const row = await db.raw<{ rows: Array<{ version: string }> }>(`select version::text as version from ${table(gen.schema, kind === 'user' ? 'users' : 'groups')} where id = ?::bigint`, [id]);
  const version = row.rows[0]?.version;
  if (version === undefined) {
    process.stderr.write(`${args[0]} is not in the read model\n`);
    return 1;
  }
  process.stdout.write(`${version}\n`);
  return 0;
}
