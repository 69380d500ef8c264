// Every object an endpoint lists, page by page through the API, as parsed JSON without is_online.
import request from 'supertest';
import Koa from 'koa';

/** Also checks that the envelope's count is the number of objects listed. */
export async function listAll(app: Koa, path: string, token: string, qs = ''): Promise<Record<string, unknown>[]> {
  const all: Record<string, unknown>[] = [];
  for (let offset = 0; ; offset += 1000) {
    const res = await request(app.callback()).get(`${path}?${qs}&limit=1000&offset=${offset}`).set('Authorization', `Token ${token}`);
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${res.text}`);
    const body = JSON.parse(res.text);
    all.push(...body.results.map(({ is_online: _, ...rest }: Record<string, unknown>) => rest));
    if (body.next === null) {
      if (body.count !== all.length) throw new Error(`${path}?${qs}: count ${body.count} but ${all.length} objects listed`);
      return all;
    }
  }
}
