/**
 * TLS module: the certificate store of TLS listeners (DESIGN.md's `tlsstore`). `SniTable` is the
 * pure SNI selection; `buildListenerTls` turns a spec's certificates into node:tls secure
 * contexts; the server module wires them into `SNICallback` and `setSecureContext`.
 */
export { SniTable, normaliseServerName } from './sni-table';
export { buildListenerTls } from './listener-tls';
export type { ListenerTls } from './listener-tls';
