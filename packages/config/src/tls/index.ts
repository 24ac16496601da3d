export type { TlsMaterial, LeafFacts } from './tls-material';
export { loadTlsMaterial } from './load-tls-material';
export type { LoadTlsMaterialOptions, TlsMaterialLoad } from './load-tls-material';
