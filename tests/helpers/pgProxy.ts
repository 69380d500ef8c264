// A TCP proxy in front of PostgreSQL that a test controls, to make the failures the change feed must notice
// (issue 25): `blackhole()` silences every connection open now, both ways, without closing it (a NAT's idle
// timeout, a failover), and `dropNotifications` forwards everything but the
// server's NotificationResponse messages (PgBouncer in transaction mode: LISTEN succeeds, nothing is delivered).
import net from 'node:net';

export type PgProxy = {
  /** The port to give DATABASE_URL instead of PostgreSQL's. */
  port: number;
  /** `all`: silences every connection, now and later, both ways; `listeners`: those open now that sent a LISTEN (later ones pass). */
  blackhole(which?: 'all' | 'listeners'): void;
  /** Holds what the server sends for `ms` before passing it on (0: at once), every connection. */
  delay(ms: number): void;
  close(): Promise<void>;
};

type Link = { silenced: boolean; listens: boolean; client: net.Socket; server: net.Socket };

export async function startPgProxy(target: { host: string; port: number }, opts: { dropNotifications?: boolean } = {}): Promise<PgProxy> {
  const links = new Set<Link>();
  let silenceAll = false;
  let delayMs = 0;
  const proxy = net.createServer((client) => {
    const server = net.connect(target.port, target.host);
    const link: Link = { silenced: silenceAll, listens: false, client, server };
    links.add(link);
    const fromServer = opts.dropNotifications ? withoutNotifications() : (b: Buffer) => b;
    client.on('data', (b) => {
      if (/listen /i.test(b.toString('latin1'))) link.listens = true;
      if (!link.silenced) server.write(b);
    });
    const pass = (b: Buffer) => link.silenced || client.write(fromServer(b));
    // Timers of one delay fire in the order they were set: the stream's order is kept.
    server.on('data', (b) => (delayMs === 0 ? pass(b) : setTimeout(() => pass(b), delayMs)));
    const end = () => {
      links.delete(link);
      client.destroy();
      server.destroy();
    };
    client.on('close', end).on('error', end);
    server.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    port: (proxy.address() as net.AddressInfo).port,
    blackhole(which = 'all') {
      silenceAll = which === 'all';
      for (const link of links) if (which === 'all' || link.listens) link.silenced = true;
    },
    delay(ms) {
      delayMs = ms;
    },
    async close() {
      for (const link of links) link.client.destroy(), link.server.destroy();
      await new Promise((resolve) => proxy.close(resolve));
    },
  };
}

/**
 * The server's byte stream less its NotificationResponse ('A') messages. Every message the server sends on a
 * plain (non-TLS) connection is a type byte and a 4-byte length that counts itself; parts of one may arrive
 * in different chunks, so what is not whole yet waits for the next.
 */
function withoutNotifications(): (chunk: Buffer) => Buffer {
  let pending = Buffer.alloc(0);
  return (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    const kept: Buffer[] = [];
    let at = 0;
    while (pending.length - at >= 5) {
      const size = 1 + pending.readUInt32BE(at + 1);
      if (pending.length - at < size) break;
      if (pending[at] !== 0x41) kept.push(pending.subarray(at, at + size));
      at += size;
    }
    pending = pending.subarray(at);
    return Buffer.concat(kept);
  };
}
