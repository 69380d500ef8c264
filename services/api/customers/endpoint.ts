import { Endpoint } from '../listing/endpoint';
import { serializeCustomer } from './serialize';

export const customersEndpoint: Endpoint = {
  audience: 'customers',
  details: false,
  allowed: (p) => p.isStaff || p.isAdmin,
  serialize: serializeCustomer,
};
