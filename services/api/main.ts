import { Server } from 'node:http';
import { createApp, AppDeps } from './app';
import { Running } from '../projector/consumer';

export async function startApi(deps: AppDeps, http: { port: number; host: string }): Promise<Running> {
  const app = createApp(deps);
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(http.port, http.host, () => resolve(s));
    s.once('error', reject);
  });
  server.keepAliveTimeout = 65_000; // longer than common load balancers' idle timeout
  deps.logger.info({ port: http.port, host: http.host }, 'api listening');
  return {
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
