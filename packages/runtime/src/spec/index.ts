export type * from './types';
export { configDefaults } from './defaults';
export type { ConfigDefaults } from './defaults';
export { canonicalJSON } from './canonical-json';
export { specHash, hashSpecFields, SpecFieldsHasher } from './spec-hash';
export { deepFreeze } from './deep-freeze';
