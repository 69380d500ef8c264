import { Endpoint } from '../listing/listHandler';
import { serializeCustomer } from './serialize';

export const customersEndpoint: Endpoint = {
  audience: 'customers',
  details: false,
  allowed: (p) => p.isStaff || p.isAdmin,
  serialize: serializeCustomer,
};
