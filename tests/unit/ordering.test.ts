import { orderBySql, parseOrdering } from '../../services/api/listing/parse/ordering';
import { parseQueryString } from '../../services/api/queryString';

const order = (qs: string) => orderBySql(parseOrdering(parseQueryString(qs)), 'u');

it.each([
  ['', 'u.created_at desc, u.id desc'],
  ['ordering=username', 'u.username asc, u.id asc'],
  ['ordering=-email,gender', 'u.email desc, u.gender asc, u.id desc'],
  ['ordering=id', 'u.id asc'],
  ['ordering=-last_login,-id', 'u.last_login desc, u.id desc'],
  ['ordering=password,-username', 'u.username desc, u.id desc'],
  ['ordering=password', 'u.created_at desc, u.id desc'],
  ['ordering=u.id;drop', 'u.created_at desc, u.id desc'],
  ['ordering= username , -updated_at', 'u.username asc, u.updated_at desc, u.id asc'],
])('?%s orders by %s', (qs, sql) => {
  expect(order(qs)).toBe(sql);
});
