export { buildSpec } from './build-spec';
export { controlDigest } from './control-digest';
export { rateLimitId } from './build-policy';
export type { BuildSpecOptions } from './build-spec';
export { parseEndpoint } from './parse-endpoint';
export type { ParsedEndpoint } from './parse-endpoint';
