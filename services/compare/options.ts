// `rollcall compare`'s command line, read and checked before anything is sent (a bad call exits 2).
import { parseArgs } from 'node:util';

export const COMPARE_USAGE = `usage: rollcall compare --reference URL [--candidate URL] [--tokens FILE] (FILE | - | --generate N) [options]
       rollcall compare --listen PORT --reference URL [--candidate URL] [--queue N] [--timeout MS]
  FILE, -          requests to replay: a path and query a line, or an access log (common or combined format)
  --generate N     N requests over every parameter of both endpoints (OpenAPI document of the candidate)
  --tokens FILE    ROLE=TOKEN lines; each request is asked once per role (none: asked without a token)
  --candidate URL  rollcall (default http://127.0.0.1:$PORT)
  --concurrency N  requests in flight at most (default 4)    --rate N   request pairs a second at most (default 10)
  --timeout MS     bound on each request (default 10000)     --show N   differences shown in full (default 10)
  --seed N         of --generate (default 1)                 --json     the report as JSON
  --listen PORT    shadow mode: answers clients from the reference, compares with the candidate behind them
  exit code: 0 every answer identical, 1 any difference (is_online alone too) or failed request, 2 bad usage`;

export class UsageError extends Error {}

export type CompareOptions = {
  reference: string;
  candidate: string | undefined;
  tokens: string | undefined;
  file: string | undefined;
  generate: number | undefined;
  seed: number;
  concurrency: number;
  rate: number;
  timeoutMs: number;
  show: number;
  json: boolean;
  listen: number | undefined;
  queue: number;
};

const string = { type: 'string' } as const;

export function readCompareOptions(args: string[]): CompareOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args, allowPositionals: true, strict: true,
      options: {
        reference: string, candidate: string, tokens: string, generate: string, seed: string, concurrency: string,
        rate: string, timeout: string, show: string, listen: string, queue: string, json: { type: 'boolean' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values: v, positionals } = parsed;
  if (v.reference === undefined) throw new UsageError('--reference URL is required');
  if (positionals.length > 1) throw new UsageError('one request file at most');
  const o: CompareOptions = {
    reference: httpUrl('--reference', v.reference),
    candidate: v.candidate === undefined ? undefined : httpUrl('--candidate', v.candidate),
    tokens: v.tokens, file: positionals[0], json: v.json === true,
    generate: whole('--generate', v.generate, undefined, 1),
    seed: whole('--seed', v.seed, 1, 0)!, concurrency: whole('--concurrency', v.concurrency, 4, 1)!,
    rate: positive('--rate', v.rate, 10), timeoutMs: whole('--timeout', v.timeout, 10_000, 1)!,
    show: whole('--show', v.show, 10, 0)!, listen: whole('--listen', v.listen, undefined, 1),
    queue: whole('--queue', v.queue, 1000, 1)!,
  };
  const sources = [o.file !== undefined, o.generate !== undefined, o.listen !== undefined].filter(Boolean).length;
  if (sources !== 1) throw new UsageError('give exactly one of: a request FILE (or -), --generate N, --listen PORT');
  if (o.listen !== undefined && o.listen > 65_535) throw new UsageError('--listen: not a port');
  return o;
}

function httpUrl(name: string, text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${name}: not a URL`); // the text itself may carry credentials: not repeated
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`${name}: only http and https URLs`);
  return url.origin;
}

function whole(name: string, text: string | undefined, fallback: number | undefined, min: number): number | undefined {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < min || !Number.isSafeInteger(Number(text))) throw new UsageError(`${name}: a whole number of at least ${min}`);
  return Number(text);
}

function positive(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+(\.\d+)?$/.test(text) || Number(text) <= 0) throw new UsageError(`${name}: a number above 0`);
  return Number(text);
}
