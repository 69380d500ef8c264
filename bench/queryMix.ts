// The queries the API benchmarks and the read-model plans cover: every single filter, every ordering,
// search with one to three terms, deep offsets and three-filter combinations.
// A query that `varies` asks, in each request, an id_max of its own just under the largest id: a request the
// API has never answered before, so nothing it may keep from an earlier one (a cache, a plan) can answer it.
export type BenchQuery = Readonly<{ name: string; path: '/api/customers' | '/api/users/'; qs: string; kind: 'filter' | 'ordering' | 'search' | 'offset' | 'combo'; varies?: boolean }>;

const c = (name: string, qs: string, kind: BenchQuery['kind'], path: BenchQuery['path'] = '/api/customers'): BenchQuery => ({ name, path, qs, kind });
const varying = (q: BenchQuery): BenchQuery => ({ ...q, qs: `${q.qs}&id_max=999999`, varies: true });

export const QUERY_MIX: readonly BenchQuery[] = [
  c('default page', '', 'ordering'),
  c('users default page', '', 'ordering', '/api/users/'),
  ...['has_email', 'has_avatar', 'has_phone', 'has_first_name', 'has_last_name', 'has_token', 'is_active', 'is_profile_completed']
    .flatMap((f) => [c(`${f}=true`, `${f}=true`, 'filter'), c(`${f}=false`, `${f}=false`, 'filter')]),
  c('gender=female', 'gender=female', 'filter'),
  c('group_id=7', 'group_id=7', 'filter'),
  c('groups_in=3,9,27', 'groups_in=3,9,27', 'filter'),
  c('id_min/id_max', 'id_min=400000&id_max=400999', 'filter'),
  c('created_date', 'created_date=2024-06-15', 'filter'),
  c('created_from', 'created_from=2025-06-01', 'filter'),
  c('updated_to', 'updated_to=2023-03-01', 'filter'),
  c('last_login_from', 'last_login_from=2025-12-01', 'filter'),
  c('users is_admin=true', 'is_admin=true', 'filter', '/api/users/'),
  c('users is_staff=true', 'is_staff=true', 'filter', '/api/users/'),
  ...['id', 'username', 'email', 'gender', 'last_login', 'created_at', 'updated_at'].flatMap((f) => [
    c(`ordering=${f}`, `ordering=${f}`, 'ordering'),
    c(`ordering=-${f}`, `ordering=-${f}`, 'ordering'),
  ]),
  c('search 1 common term', 'search=ada', 'search'),
  c('search 1 rare term', 'search=torvalds12345', 'search'),
  c('search 2 terms', 'search=ada,hopper', 'search'),
  c('search 3 terms', 'search=ada hopper example', 'search'),
  c('search digits', 'search=555000', 'search'),
  varying(c('search 1 common term, new each request', 'search=ada', 'search')),
  varying(c('search 2 terms, new each request', 'search=ada,hopper', 'search')),
  c('offset 500000', 'offset=500000', 'offset'),
  c('offset 500000 by username', 'offset=500000&ordering=username', 'offset'),
  c('3 filters', 'has_email=true&gender=male&is_active=true', 'combo'),
  c('3 filters + search + ordering', 'has_phone=true&created_from=2024-01-01&search=grace&ordering=-last_login', 'combo'),
  varying(c('3 filters + search + ordering, new each request', 'has_phone=true&created_from=2024-01-01&search=grace&ordering=-last_login', 'combo')),
  c('3 filters narrow', 'has_token=true&group_id=7&created_to=2024-12-31', 'combo'),
  c('3 filters, dates at the far end', 'has_token=true&is_active=true&updated_to=2023-03-01', 'combo'),
];
