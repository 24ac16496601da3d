export { AddressSet } from './address-set';
