// Given a history published to real Kafka and projected into PostgreSQL, when an admin lists /api/users/,
// then the response is byte for byte what api.md (and so DRF) gives, written out here by hand.
import request from 'supertest';
import { createProjectedApp, ProjectedApp } from '../helpers/projectedApp';
import { directoryHistory, DIRECTORY_EVENTS, MAX_ID, TOKENS } from '../helpers/fixtures/directory';
import { eventually, publish } from '../helpers/events';

let t: ProjectedApp;
const admin = { Authorization: `Token ${TOKENS.admin}`, Host: 'testserver' };

beforeAll(async () => {
  t = await createProjectedApp();
  await t.startProjector();
  await publish(t.kafka, t.config.topics.events, directoryHistory());
  await t.waitForOffsets(DIRECTORY_EVENTS);
  // The admin's own request makes it online (recorded off the request path): wait until Redis has it.
  await request(t.app.callback()).get('/api/users/').set(admin).expect(200);
  await eventually(async () => ((await t.online.online(['1001'])).has('1001') ? true : undefined));
});
afterAll(() => t?.closeAll());

const maxed = `{"id":${MAX_ID},"username":"maxed","mobile_number":null,"email":null,"is_email_verified":false,"avatar":null,"first_name":null,"last_name":null,"full_name":null,"gender":null,"invited_by":{"id":1001,"username":"root","full_name":"Ada Lovelace"},"invite_code":null,"invitees_count":1,"is_active":true,"is_staff":true,"is_admin":false,"is_online":false,"is_profile_completed":false,"last_login":null,"created_at":"2026-03-01T08:00:00.850000Z","updated_at":"2026-03-02T00:00:00.000100Z","groups_data":[]}`;
const deputy = `{"id":1005,"username":"deputy","mobile_number":null,"email":null,"is_email_verified":false,"avatar":null,"first_name":null,"last_name":"Hopper","full_name":"Hopper","gender":null,"invited_by":{"id":${MAX_ID},"username":"maxed","full_name":null},"invite_code":null,"invitees_count":0,"is_active":true,"is_staff":false,"is_admin":true,"is_online":false,"is_profile_completed":false,"last_login":null,"created_at":"2026-02-25T12:00:00Z","updated_at":"2026-02-25T12:00:00Z","groups_data":[]}`;
const nope = `{"id":1003,"username":"nope","mobile_number":null,"email":"","is_email_verified":false,"avatar":null,"first_name":null,"last_name":null,"full_name":null,"gender":null,"invited_by":null,"invite_code":null,"invitees_count":0,"is_active":true,"is_staff":true,"is_admin":false,"is_online":false,"is_profile_completed":false,"last_login":null,"created_at":"2026-02-23T09:30:15.000001Z","updated_at":"2026-02-23T09:30:15.000001Z","groups_data":[]}`;
const helper = `{"id":1002,"username":"helper","mobile_number":null,"email":null,"is_email_verified":false,"avatar":null,"first_name":"Grace","last_name":null,"full_name":"Grace","gender":null,"invited_by":null,"invite_code":null,"invitees_count":0,"is_active":true,"is_staff":true,"is_admin":false,"is_online":false,"is_profile_completed":false,"last_login":null,"created_at":"2026-02-22T08:00:00Z","updated_at":"2026-02-22T08:00:00Z","groups_data":[]}`;
const root = `{"id":1001,"username":"root","mobile_number":"+15550001","email":"ada@example.com","is_email_verified":true,"avatar":null,"first_name":"Ada","last_name":"Lovelace","full_name":"Ada Lovelace","gender":"female","invited_by":null,"invite_code":null,"invitees_count":1,"is_active":true,"is_staff":false,"is_admin":true,"is_online":true,"is_profile_completed":true,"last_login":null,"created_at":"2026-02-21T07:20:25.859632Z","updated_at":"2026-02-21T07:20:25.859632Z","groups_data":[{"id":77,"name":"Ops"}]}`;
const grouped = `{"id":1006,"username":"grouped","mobile_number":null,"email":null,"is_email_verified":false,"avatar":null,"first_name":null,"last_name":null,"full_name":null,"gender":null,"invited_by":null,"invite_code":null,"invitees_count":0,"is_active":true,"is_staff":true,"is_admin":false,"is_online":false,"is_profile_completed":false,"last_login":null,"created_at":"2026-02-19T00:00:00Z","updated_at":"2026-02-19T00:00:00Z","groups_data":[{"id":80,"name":"Support"}]}`;
const gone = `{"id":1007,"username":"gone","mobile_number":null,"email":null,"is_email_verified":false,"avatar":null,"first_name":null,"last_name":null,"full_name":null,"gender":null,"invited_by":null,"invite_code":null,"invitees_count":0,"is_active":false,"is_staff":false,"is_admin":true,"is_online":false,"is_profile_completed":false,"last_login":null,"created_at":"2026-02-18T00:00:00Z","updated_at":"2026-02-18T00:00:00Z","groups_data":[]}`;

describe('GET /api/users/', () => {
  it('lists staff and admins, newest first, every field as api.md writes it', async () => {
    const res = await request(t.app.callback()).get('/api/users/').set(admin);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.text).toBe(
      `{"count":7,"next":null,"previous":null,"results":[${[maxed, deputy, nope, helper, root, grouped, gone].join(',')}]}`,
    );
  });

  it('pages with limit and offset, links built like DRF with sorted parameters', async () => {
    const res = await request(t.app.callback()).get('/api/users/?offset=2&limit=2&zeta=1&alpha=%C3%A9+x').set(admin);
    expect(res.status).toBe(200);
    expect(res.text).toBe(
      `{"count":7,"next":"http://testserver/api/users/?alpha=%C3%A9+x&limit=2&offset=4&zeta=1",` +
        `"previous":"http://testserver/api/users/?alpha=%C3%A9+x&limit=2&zeta=1","results":[${nope},${helper}]}`,
    );
  });

  it('keeps offset in previous when it does not reach the first page', async () => {
    const res = await request(t.app.callback()).get('/api/users/?limit=2&offset=5').set(admin);
    expect(JSON.parse(res.text)).toMatchObject({
      count: 7,
      next: null,
      previous: 'http://testserver/api/users/?limit=2&offset=3',
    });
  });

  it('falls back to the defaults for a bad limit and offset', async () => {
    const bad = await request(t.app.callback()).get('/api/users/?limit=abc&offset=-3').set(admin);
    expect(JSON.parse(bad.text).results).toHaveLength(7);
  });

  it('answers HEAD like GET without a body', async () => {
    const res = await request(t.app.callback()).head('/api/users/').set(admin);
    expect(res.status).toBe(200);
    expect(res.text ?? '').toBe('');
  });

  it('echoes the client X-Request-Id and makes one otherwise', async () => {
    const given = await request(t.app.callback()).get('/api/users/').set({ ...admin, 'X-Request-Id': 'abc-123' });
    expect(given.headers['x-request-id']).toBe('abc-123');
    const made = await request(t.app.callback()).get('/api/users/').set(admin);
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
