export { RuntimeStore } from './runtime-store';
export type { Retirable, RuntimeStoreOptions } from './runtime-store';
