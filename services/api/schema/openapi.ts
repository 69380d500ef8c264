// The OpenAPI 3.1 document of both endpoints, generated from the filter table that also validates requests.
import { FILTERS, Filter, SEARCH_FIELDS } from '../listing/parse/filters';
import { ORDERING_FIELDS } from '../listing/parse/ordering';
import { DEFAULT_LIMIT } from '../listing/parse/pagination';

type Json = Record<string, unknown>;

const nullable = (type: string, extra: Json = {}) => ({ type: [type, 'null'], ...extra });
const timestamp = (nullableToo: boolean) => ({ ...(nullableToo ? nullable('string') : { type: 'string' }), format: 'date-time' });
const id = { type: 'integer', format: 'int64', minimum: 1 };

const CUSTOMER: Json = {
  id, username: { type: 'string' }, mobile_number: nullable('string'), email: nullable('string'), avatar: nullable('string'),
  first_name: nullable('string'), last_name: nullable('string'), full_name: nullable('string'),
  gender: nullable('string', { enum: ['male', 'female', 'other', null] }), is_active: { type: 'boolean' },
  is_profile_completed: { type: 'boolean' }, last_login: timestamp(true), created_at: timestamp(false), updated_at: timestamp(false),
  is_online: { type: 'boolean' },
};

const USER: Json = {
  id, username: { type: 'string' }, mobile_number: nullable('string'), email: nullable('string'), is_email_verified: { type: 'boolean' },
  avatar: nullable('string'), first_name: nullable('string'), last_name: nullable('string'), full_name: nullable('string'),
  gender: nullable('string', { enum: ['male', 'female', 'other', null] }),
  invited_by: { oneOf: [{ type: 'null' }, { type: 'object', required: ['id', 'username', 'full_name'], properties: { id, username: { type: 'string' }, full_name: nullable('string') } }] },
  invite_code: nullable('string'), invitees_count: { type: 'integer', minimum: 0 }, is_active: { type: 'boolean' },
  is_staff: { type: 'boolean' }, is_admin: { type: 'boolean' }, is_online: { type: 'boolean' }, is_profile_completed: { type: 'boolean' },
  last_login: timestamp(true), created_at: timestamp(false), updated_at: timestamp(false),
  groups_data: { type: 'array', items: { type: 'object', required: ['id', 'name'], properties: { id, name: { type: 'string' } } } },
};

function filterParameter(f: Filter): Json {
  const schema: Json =
    f.type === 'boolean' ? { type: 'string', enum: ['true', 'false', '1', '0'], description: 'case-insensitive' }
    : f.type === 'integer' ? { type: 'string', pattern: '^\\s*[+-]?[0-9]+\\s*$' }
    : f.type === 'integer-list' ? { type: 'string', pattern: '^[0-9+\\-, ]*$' }
    : f.type === 'date' ? { type: 'string', format: 'date' }
    : { type: 'string', ...(f.enum ? { enum: [...f.enum] } : {}) };
  return { name: f.name, in: 'query', required: false, description: f.description, schema };
}

function listOperation(summary: string, usersOnly: boolean, item: string, who: string): Json {
  const parameters = [
    { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, default: DEFAULT_LIMIT }, description: 'page size, capped at MAX_PAGE_SIZE' },
    { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, default: 0 } },
    { name: 'search', in: 'query', schema: { type: 'string' }, description: `terms split on commas and whitespace; every term contained, case-insensitively, in one of ${SEARCH_FIELDS.join(', ')}` },
    { name: 'ordering', in: 'query', schema: { type: 'string', default: '-created_at' }, description: `comma-separated, each optionally prefixed with -: ${ORDERING_FIELDS.join(', ')}` },
    ...FILTERS.filter((f) => usersOnly || !f.usersOnly).map(filterParameter),
  ];
  const detail = { $ref: '#/components/schemas/Detail' };
  return {
    summary, description: `Who may call: ${who}.`, security: [{ token: [] }], parameters,
    responses: {
      200: { description: 'one page', content: { 'application/json': { schema: {
        type: 'object', required: ['count', 'next', 'previous', 'results'],
        properties: { count: { type: 'integer' }, next: nullable('string', { format: 'uri' }), previous: nullable('string', { format: 'uri' }), results: { type: 'array', items: { $ref: `#/components/schemas/${item}` } } },
      } } } },
      400: { description: 'bad parameters: each name with its messages', content: { 'application/json': { schema: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } } } } },
      401: { description: 'not authenticated', headers: { 'WWW-Authenticate': { schema: { type: 'string', const: 'Token' } } }, content: { 'application/json': { schema: detail } } },
      403: { description: 'not allowed', content: { 'application/json': { schema: detail } } },
      503: { description: 'is_online asked while online status is unavailable', content: { 'application/json': { schema: detail } } },
    },
  };
}

export function openApiDocument(): Json {
  return {
    openapi: '3.1.0',
    info: { title: 'rollcall', version: '1', description: 'The read side of the user directory, as the Django REST Framework service answers it.' },
    paths: {
      '/api/customers': { get: listOperation('List customers (neither staff nor admin)', false, 'Customer', 'staff or admin') },
      '/api/users/': { get: listOperation('List staff and admins', true, 'User', 'admin, or staff holding permission 1222') },
    },
    components: {
      securitySchemes: { token: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'Token <key>' } },
      schemas: {
        Customer: { type: 'object', required: Object.keys(CUSTOMER), properties: CUSTOMER },
        User: { type: 'object', required: Object.keys(USER), properties: USER },
        Detail: { type: 'object', required: ['detail'], properties: { detail: { type: 'string' } } },
      },
    },
  };
}
