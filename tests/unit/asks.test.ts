// Issue 27, hole 3: an HTTP process whose question to the API's primary got no answer within its time answered
// 500; it is a temporary unavailability (DRF's ServiceUnavailable: 503, Retry-After), and the questions waiting
// per process are bounded, past which a request is refused at once rather than queued behind a primary that hangs.
import Koa from 'koa';
import request from 'supertest';
import { Asks } from '../../services/api/cluster/asks';
import { errorHandler, requestId } from '../../services/api/errors';
import { createLogger } from '../../shared/logger';

/** DRF's ServiceUnavailable, as rest_framework.exceptions words it. */
const UNAVAILABLE = { detail: 'Service temporarily unavailable, try again later.' };

/** An app whose one route waits for the answer to a question, through the API's own error handling. */
function appAsking(ask: () => Promise<unknown>): Koa {
  const app = new Koa();
  app.use(requestId());
  app.use(errorHandler(createLogger('silent')));
  app.use(async (ctx) => {
    ctx.body = { answer: await ask() };
  });
  return app;
}

it('answers 503 with Retry-After when the question gets no answer in time', async () => {
  const asks = new Asks<string>(10);
  const res = await request(appAsking(() => asks.ask(() => undefined, 100)).callback()).get('/');
  expect({ status: res.status, body: res.body }).toEqual({ status: 503, body: UNAVAILABLE });
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
});

it('answers 503 when the question cannot be sent (the primary is gone)', async () => {
  const asks = new Asks<string>(10);
  const res = await request(appAsking(() => asks.ask(() => { throw new Error('channel closed'); }, 10_000)).callback()).get('/');
  expect({ status: res.status, body: res.body, retry: res.headers['retry-after'] !== undefined }).toEqual({ status: 503, body: UNAVAILABLE, retry: true });
});

it('refuses a question at once past the bound of those waiting, and takes one again once an answer freed a place', async () => {
  const asks = new Asks<string>(3);
  const ids: number[] = [];
  const waiting = Array.from({ length: 3 }, () => asks.ask((id) => void ids.push(id), 30_000));
  const app = appAsking(() => asks.ask(() => undefined, 30_000)).callback();
  const started = Date.now();
  const refused = await request(app).get('/');
  expect({ status: refused.status, body: refused.body, retry: refused.headers['retry-after'] !== undefined }).toEqual({ status: 503, body: UNAVAILABLE, retry: true });
  expect(Date.now() - started).toBeLessThan(5_000); // at once: not after the 30 s the others may wait

  asks.settle(ids[0] as number, 'first');
  await expect(waiting[0]).resolves.toBe('first');
  const again = new Promise<number>((resolve) => void asks.ask(resolve as (id: number) => void, 30_000).catch(() => undefined));
  const id = await again;
  asks.settle(id, 'taken');
  for (const other of ids.slice(1)) asks.settle(other, 'done');
  await expect(Promise.all(waiting)).resolves.toEqual(['first', 'done', 'done']);
});
