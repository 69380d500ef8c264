// npm run bench:index -- [--users 1000000]
// The in-memory index's load on the bench read model (bench/millionUsers.ts), beside its floor in the same run:
// PostgreSQL's binary COPY of the very rows the load reads, drained without a byte looked at. Prints the read
// and each part of the build, the bytes each part holds (the index's own count), the heap and Roaring's memory,
// and the event loop's longest stall while it loaded (services/api/index/).
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { to as copyTo } from 'pg-copy-streams';
import { RoaringBitmap32 } from 'roaring';
import { argNumber, fmt, openQueryBench } from './kit';
import { copyStatement, readIndex } from '../services/api/index/load';
import { flagsSql } from '../services/api/listing/parse/indexQuery';

async function main(): Promise<void> {
  const users = argNumber('users', 1_000_000);
  const { db, schema } = await openQueryBench(users);
  const flags = flagsSql();
  try {
    const floor = await copyFloor(db, copyStatement(db, schema, flags, true));
    const heapBefore = process.memoryUsage();
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const t0 = Date.now();
    const index = await readIndex(db, schema, { search: true, flags });
    if (index === null) throw new Error('the bench read model cannot be held');
    const read = (Date.now() - t0) / 1000;
    const readLoop = loop.max / 1e6;
    let worst = readLoop;
    loop.reset();
    const parts: Array<[string, number, number]> = [];
    let at = Date.now();
    await index.build((part) => {
      parts.push([part, (Date.now() - at) / 1000, loop.max / 1e6]);
      worst = Math.max(worst, loop.max / 1e6);
      loop.reset();
      at = Date.now();
    });
    const total = (Date.now() - t0) / 1000;
    loop.disable();
    global.gc?.();
    const heapAfter = process.memoryUsage();
    const lines = [
      `bench:index: ${fmt(users)} users`,
      '',
      '| step | seconds | event loop held, longest (ms) |',
      '|---|---:|---:|',
      `| floor: PostgreSQL's binary COPY of the same rows, drained | ${floor.toFixed(2)} | |`,
      `| read (COPY parsed into the columns) | ${read.toFixed(2)} | ${readLoop.toFixed(0)} |`,
      ...parts.map(([p, s, l]) => `| build: ${p} | ${s.toFixed(2)} | ${l.toFixed(0)} |`),
      `| **ready** (read + build) | **${total.toFixed(2)}** (${(total / floor).toFixed(1)}× the floor) | ${worst.toFixed(0)} |`,
      '',
      '| part | MB |',
      '|---|---:|',
      ...Object.entries(index.memory()).map(([p, b]) => `| ${p} | ${(b / 1e6).toFixed(1)} |`),
      `| **index, its own count** | **${(index.bytes / 1e6).toFixed(1)}** |`,
      '',
      `heap used ${mb(heapBefore.heapUsed)} → ${mb(heapAfter.heapUsed)} MB, array buffers ${mb(heapBefore.arrayBuffers)} → ${mb(heapAfter.arrayBuffers)} MB, ` +
        `Roaring ${mb(RoaringBitmap32.getRoaringUsedMemory())} MB, RSS ${mb(heapAfter.rss)} MB`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await db.destroy();
  }
}

const mb = (b: number) => (b / 1e6).toFixed(0);

/** Seconds PostgreSQL takes to send the load's COPY, read and thrown away. */
async function copyFloor(db: Awaited<ReturnType<typeof openQueryBench>>['db'], statement: string): Promise<number> {
  const conn = await db.client.acquireConnection();
  try {
    await conn.query('set statement_timeout = 0');
    const t0 = Date.now();
    await pipeline(conn.query(copyTo(statement)), new Writable({ write: (_chunk, _enc, done) => done() }));
    return (Date.now() - t0) / 1000;
  } finally {
    await db.client.releaseConnection(conn);
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
