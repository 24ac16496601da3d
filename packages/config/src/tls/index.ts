export type { TlsMaterial, LeafFacts } from './tls-material';
