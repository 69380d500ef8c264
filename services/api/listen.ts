import { createServer, Server } from 'node:http';
import Koa from 'koa';
import { Logger } from '../../shared/logger';
import { Running } from '../projector/consumer';
import { answerClientError, PARSER_LIMIT_BYTES } from './requestLimits';

/** The HTTP server of a Koa app, with the parser's limits and answers of services/api/requestLimits.ts. */
export function createHttpServer(app: Koa): Server {
  const server = createServer({ maxHeaderSize: PARSER_LIMIT_BYTES }, app.callback());
  server.on('clientError', answerClientError);
  return server;
}

/** Listens with a Koa app until stopped: the API, or the service endpoints of a role without it. */
export async function listen(app: Koa, http: { port: number; host: string }, logger: Logger, what: string): Promise<Running> {
  const server: Server = await new Promise((resolve, reject) => {
    const s = createHttpServer(app).listen(http.port, http.host, () => resolve(s));
    s.once('error', reject);
  });
  server.keepAliveTimeout = 65_000; // longer than common load balancers' idle timeout
  logger.info({ port: http.port, host: http.host }, `${what} listening`);
  return {
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
