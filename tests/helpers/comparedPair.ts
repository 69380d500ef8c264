// What the compare tests run against: the directory projected and served by a rollcall of the test's own, and a
// reference beside it that differs on purpose (alteringReference.ts), once the admin shows online there (the
// 'online' case turns that true into false).
import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { createHttpServer } from '../../services/api/listen';
import { AlteringReference, startAlteringReference } from './alteringReference';
import { eventually } from './events';
import { TOKENS } from './fixtures/directory';
import { ProjectedApp, projectedDirectory } from './projectedApp';

export type ComparedPair = { t: ProjectedApp; rollcall: string; reference: AlteringReference; close: () => Promise<void> };

export async function startComparedPair(): Promise<ComparedPair> {
  const t = await projectedDirectory();
  const server: Server = createHttpServer(t.app).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const rollcall = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const reference = await startAlteringReference(rollcall);
  const close = async () => {
    await reference.close();
    server.closeAllConnections();
    server.close();
    await t.closeAll();
  };
  const shown = async () => (await (await fetch(`${rollcall}/api/users/?limit=1&search=root&case=x`, { headers: { authorization: `Token ${TOKENS.admin}` } })).text());
  await eventually(async () => ((await shown()).includes('"is_online":true') ? true : undefined), 10_000, 'the admin online').catch(async (err: unknown) => {
    await close();
    throw err;
  });
  return { t, rollcall, reference, close };
}
