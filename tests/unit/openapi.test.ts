// The OpenAPI document comes from the same table that validates requests: check they agree.
import { openApiDocument } from '../../services/api/schema/openapi';
import { FILTERS } from '../../services/api/listing/parse/filters';

const doc = openApiDocument() as any;
const params = (path: string) => doc.paths[path].get.parameters.map((p: { name: string }) => p.name);

it('is OpenAPI 3.1 with both endpoints', () => {
  expect(doc.openapi).toBe('3.1.0');
  expect(Object.keys(doc.paths)).toEqual(['/api/customers', '/api/users/']);
});

it('documents every filter, the users-only ones on /api/users/ only', () => {
  const common = FILTERS.filter((f) => !f.usersOnly).map((f) => f.name);
  expect(params('/api/customers')).toEqual(['limit', 'offset', 'search', 'ordering', ...common]);
  expect(params('/api/users/')).toEqual(['limit', 'offset', 'search', 'ordering', ...FILTERS.map((f) => f.name)]);
  expect(params('/api/users/')).toEqual(expect.arrayContaining(['is_admin', 'is_staff', 'is_customer']));
  expect(FILTERS.map((f) => f.name).sort()).toEqual([
    'created_date', 'created_from', 'created_to', 'gender', 'group_id', 'groups_in', 'has_avatar', 'has_email', 'has_first_name',
    'has_last_name', 'has_phone', 'has_token', 'id_max', 'id_min', 'is_active', 'is_admin', 'is_customer', 'is_online',
    'is_profile_completed', 'is_staff', 'last_login_date', 'last_login_from', 'last_login_to', 'updated_date', 'updated_from', 'updated_to',
  ]);
});

it('lists the objects fields in the order of api.md', () => {
  expect(Object.keys(doc.components.schemas.Customer.properties)).toEqual(['id', 'username', 'mobile_number', 'email', 'avatar', 'first_name', 'last_name', 'full_name', 'gender', 'is_active', 'is_profile_completed', 'last_login', 'created_at', 'updated_at', 'is_online']);
  expect(Object.keys(doc.components.schemas.User.properties)).toEqual(['id', 'username', 'mobile_number', 'email', 'is_email_verified', 'avatar', 'first_name', 'last_name', 'full_name', 'gender', 'invited_by', 'invite_code', 'invitees_count', 'is_active', 'is_staff', 'is_admin', 'is_online', 'is_profile_completed', 'last_login', 'created_at', 'updated_at', 'groups_data']);
});
