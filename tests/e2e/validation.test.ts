// api.md: a value that cannot be read is a 400 in DRF's field-error shape, every bad parameter listed,
// keys in alphabetical order; never ignored, never a 500.
import request from 'supertest';
import { projectedDirectory, ProjectedApp } from '../helpers/projectedApp';
import { TOKENS } from '../helpers/fixtures/directory';

let t: ProjectedApp;
beforeAll(async () => {
  t = await projectedDirectory();
});
afterAll(() => t?.closeAll());

const get = (path: string, token: string = TOKENS.admin) => request(t.app.callback()).get(path).set('Authorization', `Token ${token}`);
const WHOLE = ['Enter a whole number.'];
const DATE = ['Enter a valid date.'];
const CHOICE = ['Select a valid choice.'];

it.each([
  ['id_min=1.5', { id_min: WHOLE }],
  ['id_max=1e3', { id_max: WHOLE }],
  ['group_id=abc', { group_id: WHOLE }],
  ['groups_in=1,x,3', { groups_in: WHOLE }],
  ['groups_in=1.0', { groups_in: WHOLE }],
  ['id_min=%EF%BC%95', { id_min: WHOLE }],
  ['created_date=2026-02-30', { created_date: DATE }],
  ['created_from=21/02/2026', { created_from: DATE }],
  ['created_to=2026-2-1', { created_to: DATE }],
  ['updated_date=yesterday', { updated_date: DATE }],
  ['updated_from=2026-13-01', { updated_from: DATE }],
  ['updated_to=0000-01-01', { updated_to: DATE }],
  ['last_login_date=2026-02-21T00:00', { last_login_date: DATE }],
  ['last_login_from=x', { last_login_from: DATE }],
  ['last_login_to=%00', { last_login_to: DATE }],
  ['gender=robot', { gender: ['Select a valid choice. robot is not one of the available choices.'] }],
  ['gender=M%C3%A4nnlich', { gender: ['Select a valid choice. Männlich is not one of the available choices.'] }],
  ...['has_email', 'has_avatar', 'has_phone', 'has_first_name', 'has_last_name', 'has_token', 'is_active', 'is_profile_completed', 'is_online', 'is_admin', 'is_staff', 'is_customer']
    .map((p) => [`${p}=yes`, { [p]: CHOICE }] as [string, Record<string, string[]>]),
])('?%s → 400', async (qs, body) => {
  const res = await get(`/api/users/?${qs}`);
  expect(res.status).toBe(400);
  expect(res.headers['content-type']).toBe('application/json');
  expect(res.text).toBe(JSON.stringify(body));
});

it('lists every bad parameter, keys in alphabetical order', async () => {
  const res = await get('/api/customers?is_active=maybe&id_min=x&created_from=never&gender=robot');
  expect(res.status).toBe(400);
  expect(res.text).toBe(
    '{"created_from":["Enter a valid date."],"gender":["Select a valid choice. robot is not one of the available choices."],' +
      '"id_min":["Enter a whole number."],"is_active":["Select a valid choice."]}',
  );
});

it('ignores users-only filters on /api/customers, as unknown parameters', async () => {
  expect((await get('/api/customers?is_admin=yes')).status).toBe(200);
});

it('reads the last of repeated parameters, and an empty value as not given', async () => {
  expect((await get('/api/users/?id_min=x&id_min=1')).status).toBe(200);
  expect((await get('/api/users/?id_min=1&id_min=x')).status).toBe(400);
  expect((await get('/api/users/?id_min=&gender=')).status).toBe(200);
});

it('authenticates before it validates', async () => {
  expect((await request(t.app.callback()).get('/api/users/?id_min=x')).status).toBe(401);
  expect((await get('/api/users/?id_min=x', TOKENS.customer)).status).toBe(403);
});

it('treats ids beyond 64 bits as bounds, not errors', async () => {
  const res = await get('/api/users/?id_min=99999999999999999999999');
  expect(res.status).toBe(200);
  expect(JSON.parse(res.text).count).toBe(0);
  expect(JSON.parse((await get('/api/users/?id_max=-99999999999999999999999')).text).count).toBe(0);
  expect(JSON.parse((await get('/api/users/?id_max=99999999999999999999999')).text).count).toBe(7);
  expect(JSON.parse((await get('/api/users/?id_min=-99999999999999999999999')).text).count).toBe(7);
  expect(JSON.parse((await get('/api/users/?group_id=99999999999999999999999')).text).count).toBe(0);
  expect(JSON.parse((await get('/api/users/?groups_in=99999999999999999999999,77')).text).count).toBe(1);
});
