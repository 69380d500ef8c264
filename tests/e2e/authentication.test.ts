// api.md, "Authentication" and "Endpoints": DRF's TokenAuthentication messages, the permission rule of each
// endpoint, APPEND_SLASH's 301, 404 and 405 (after authentication and permissions, as DRF does).
import request from 'supertest';
import { projectedDirectory, ProjectedApp } from '../helpers/projectedApp';
import { TOKENS } from '../helpers/fixtures/directory';
import { eventually } from '../helpers/events';

let t: ProjectedApp;
const get = (path: string, token?: string) => {
  const req = request(t.app.callback()).get(path);
  return token === undefined ? req : req.set('Authorization', `Token ${token}`);
};

beforeAll(async () => {
  t = await projectedDirectory();
});
afterAll(() => t?.closeAll());

describe('authentication', () => {
  it.each([
    ['no header', undefined, 'Authentication credentials were not provided.'],
    ['another scheme', 'Bearer abc', 'Authentication credentials were not provided.'],
    ['Token with no key', 'Token', 'Invalid token header. No credentials provided.'],
    ['a key with spaces', 'Token abc def', 'Invalid token header. Token string should not contain spaces.'],
    ['an unknown key', 'Token not-a-real-key', 'Invalid token.'],
    ['the key of an inactive user', `Token ${TOKENS.inactiveAdmin}`, 'User inactive or deleted.'],
    ['a lowercase scheme and unknown key', 'token nope', 'Invalid token.'],
  ])('answers 401 for %s', async (_, header, detail) => {
    const req = request(t.app.callback()).get('/api/users/');
    const res = await (header === undefined ? req : req.set('Authorization', header));
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Token');
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.text).toBe(JSON.stringify({ detail }));
  });
});

describe('permissions', () => {
  const forbidden = '{"detail":"You do not have permission to perform this action."}';

  it.each([
    ['/api/users/', 'staff without code 1222', 403, TOKENS.staffPlain],
    ['/api/users/', 'a customer', 403, TOKENS.customer],
    ['/api/users/', 'staff holding code 1222 directly', 200, TOKENS.staffWith1222],
    ['/api/users/', 'staff holding code 1222 through a group', 200, TOKENS.staffWith1222ViaGroup],
    ['/api/users/', 'an admin', 200, TOKENS.admin],
    ['/api/customers', 'a customer', 403, TOKENS.customer],
    ['/api/customers', 'staff without code 1222', 200, TOKENS.staffPlain],
    ['/api/customers/', 'an admin', 200, TOKENS.admin],
  ])('%s: %s gets %i', async (path, _, status, token) => {
    const res = await get(path, token);
    expect(res.status).toBe(status);
    if (status === 403) expect(res.text).toBe(forbidden);
  });

  it('lists only customers on /api/customers, with the customer object of api.md', async () => {
    // The customer's own request is refused, but it authenticated: that makes it online (api.md).
    expect((await get('/api/customers', TOKENS.customer)).status).toBe(403);
    await eventually(async () => ((await t.online.online(['1004'])).has('1004') ? true : undefined));
    const res = await get('/api/customers', TOKENS.admin).set('Host', 'testserver');
    expect(res.text).toBe(
      '{"count":1,"next":null,"previous":null,"results":[{"id":1004,"username":"buyer","mobile_number":null,' +
        '"email":null,"avatar":null,"first_name":null,"last_name":null,"full_name":null,"gender":null,"is_active":true,' +
        '"is_profile_completed":false,"last_login":null,"created_at":"2026-02-24T00:00:00Z","updated_at":"2026-02-24T00:00:00Z",' +
        '"is_online":true}]}',
    );
  });
});

describe('routing', () => {
  it('redirects /api/users to the slashed path, relative, with the query string kept', async () => {
    const res = await get('/api/users?limit=5&search=a%20b');
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe('/api/users/?limit=5&search=a%20b');
  });

  it('redirects whatever the method', async () => {
    const res = await request(t.app.callback()).post('/api/users');
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe('/api/users/');
  });

  it('answers 404 with DRF detail for an unknown path', async () => {
    const res = await get('/api/nothing', TOKENS.admin);
    expect(res.status).toBe(404);
    expect(res.text).toBe('{"detail":"Not found."}');
  });

  it('answers 405 with Allow for another method, after authentication', async () => {
    const res = await request(t.app.callback()).post('/api/users/').set('Authorization', `Token ${TOKENS.admin}`);
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
    expect(res.text).toBe('{"detail":"Method \\"POST\\" not allowed."}');
  });

  it('checks permissions before the method', async () => {
    expect((await request(t.app.callback()).delete('/api/users/')).status).toBe(401);
    const res = await request(t.app.callback()).delete('/api/users/').set('Authorization', `Token ${TOKENS.customer}`);
    expect(res.status).toBe(403);
  });

  it('serves /healthz and /readyz', async () => {
    expect((await request(t.app.callback()).get('/healthz')).text).toBe('{"status":"ok"}');
    expect((await request(t.app.callback()).get('/readyz')).text).toBe('{"status":"ready"}');
  });

  it('serves the OpenAPI document at /api/schema', async () => {
    const res = await request(t.app.callback()).get('/api/schema');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text).openapi).toBe('3.1.0');
  });

  it('serves the AsyncAPI document of the events at /api/asyncapi, without a token', async () => {
    const res = await request(t.app.callback()).get('/api/asyncapi');
    expect(res.status).toBe(200);
    const doc = JSON.parse(res.text);
    expect(doc.asyncapi).toBe('3.0.0');
    expect(doc.channels.userEvents.address).toBe(t.config.topics.events);
  });

  it('sends no X-Powered-By', async () => {
    const res = await get('/api/users/', TOKENS.admin);
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});
