// shared/activity/onlineMirror.ts: a process's copy of the online set reads the writes' stream, and reads the
// whole set again when the stream lost writes it had not read (deleted, trimmed past it). Expected online
// users are the ones written here, by hand; the copy is a second store on the same keys, as another process.
import { randomBytes } from 'node:crypto';
import type Redis from 'ioredis';
import { OnlineStore } from '../../shared/activity/onlineStore';
import { loadConfig } from '../../shared/config';
import { createRedis, redisReady } from '../../shared/redis';

const prefix = `rollcall:test:mirror:${randomBytes(4).toString('hex')}:`;
const noError = (err: unknown) => {
  throw err;
};
let redis: Redis;
let writes: OnlineStore;

beforeAll(async () => {
  redis = createRedis(loadConfig(process.env).redisUrl);
  await redisReady(redis);
  writes = new OnlineStore(redis, prefix, 300, noError);
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

const now = () => Date.now() * 1000;
const onlineOf = async (copy: OnlineStore, ids: string[]) => {
  const snapshot = await copy.snapshot({ fresh: true });
  return ids.filter((id) => snapshot.has(id));
};

it.each([
  ['and nothing written after: the write count says what is missing', false],
  ['and a write after it: the numbers have a gap', true],
])('sees a write the stream lost before the copy read it, %s', async (_, writeAfter) => {
  const copy = new OnlineStore(redis, prefix, 300, noError);
  const a = `a${writeAfter}`, b = `b${writeAfter}`;
  await writes.record(new Map([['first', now()]]));
  expect(await onlineOf(copy, ['first'])).toEqual(['first']);
  await writes.record(new Map([[a, now()]]));
  await redis.del(`${prefix}activity-changes`); // the stream, with the write the copy has not read
  if (writeAfter) await writes.record(new Map([[b, now()]]));
  expect(await onlineOf(copy, ['first', a, b])).toEqual(writeAfter ? ['first', a, b] : ['first', a]);
});
