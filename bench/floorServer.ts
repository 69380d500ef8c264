// The HTTP floor of bench:throughput: a bare Koa app that answers each path with a fixed JSON body (the size
// of rollcall's answer to it), read from the file named in argv[2]; listens on argv[3]. Nothing else runs.
import { readFileSync } from 'node:fs';
import Koa from 'koa';

const bodies = new Map<string, Buffer>(Object.entries(JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as Record<string, string>).map(([k, v]) => [k, Buffer.from(v)]));
const app = new Koa();
app.use((ctx) => {
  const body = bodies.get(ctx.url);
  if (body === undefined) ctx.throw(404);
  ctx.type = 'application/json';
  ctx.body = body;
});
app.listen(Number(process.argv[3]), '127.0.0.1', () => process.stdout.write('listening\n'));
