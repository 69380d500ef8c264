// Every object an endpoint lists, page by page through the API, as parsed JSON without is_online.
import request from 'supertest';
import Koa from 'koa';

/** A Koa app (driven through supertest) or the base URL of a running rollcall. */
export type Api = Koa | string;

export async function getText(api: Api, pathAndQuery: string, token: string): Promise<{ status: number; text: string }> {
  if (typeof api !== 'string') {
    const res = await request(api.callback()).get(pathAndQuery).set('Authorization', `Token ${token}`);
    return { status: res.status, text: res.text };
  }
  const res = await fetch(`${api}${pathAndQuery}`, { headers: { authorization: `Token ${token}` } });
  return { status: res.status, text: await res.text() };
}

/** Also checks that the envelope's count is the number of objects listed. */
export async function listAll(api: Api, path: string, token: string, qs = ''): Promise<Record<string, unknown>[]> {
  const all: Record<string, unknown>[] = [];
  for (let offset = 0; ; offset += 1000) {
    const res = await getText(api, `${path}?${qs}&limit=1000&offset=${offset}`, token);
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${res.text}`);
    const body = JSON.parse(res.text);
    all.push(...body.results.map(({ is_online: _, ...rest }: Record<string, unknown>) => rest));
    if (body.next === null) {
      if (body.count !== all.length) throw new Error(`${path}?${qs}: count ${body.count} but ${all.length} objects listed`);
      return all;
    }
  }
}
