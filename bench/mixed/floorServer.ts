// The HTTP floor of bench:throughput --mixed: a bare Koa app that answers each path the run asked rollcall with
// rollcall's status and a JSON body of the bytes rollcall answered (argv[2]: a JSON file of [path, status,
// bytes]); listens on argv[3]. Nothing else runs: what is left is Node's HTTP and Koa's cost per request.
import { readFileSync } from 'node:fs';
import Koa from 'koa';

const answers = new Map<string, [number, number]>();
for (const [p, status, bytes] of JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as Array<[string, number, number]>) answers.set(p, [status, bytes]);

// One body per size, made once: the floor keeps nothing a request depends on, but it writes as many bytes.
const bodies = new Map<number, Buffer>();
const bodyOf = (bytes: number): Buffer => {
  let body = bodies.get(bytes);
  if (body === undefined) {
    body = Buffer.from(`{"x":"${'a'.repeat(Math.max(0, bytes - 8))}"}`);
    bodies.set(bytes, body);
  }
  return body;
};

const app = new Koa();
app.use((ctx) => {
  const answer = answers.get(ctx.url);
  if (answer === undefined) return ctx.throw(404);
  ctx.status = answer[0];
  ctx.type = 'application/json';
  ctx.body = bodyOf(answer[1]);
});
app.listen(Number(process.argv[3]), '127.0.0.1', () => process.stdout.write('listening\n'));
