export { encodeSpec, decodeSpec } from './spec-codec';
