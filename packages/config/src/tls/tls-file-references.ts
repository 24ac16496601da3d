import { jsonPointer } from '../validate/index';
import type { WeirConfig } from '../types/index';

/** What a file named by the config must hold. */
export type TlsFileRole =
  /** A certificate chain, leaf first (`certificates[].certFile`, `upstreams[].tls.certFile`). */
  | 'chain'
  /** The private key of the chain named by `pairPointer`. */
  | 'key'
  /** CA certificates to verify peers with (`clientAuth.caFile`, `upstreams[].tls.caFile`). */
  | 'ca';

/** One field of the config that names a file. */
export interface TlsFileReference {
  /** The path as written in the config (the key of `TlsMaterial.files`). */
  readonly path: string;
  /** JSON pointer of the field that names it. */
  readonly pointer: string;
  readonly role: TlsFileRole;
  /** For a chain or a key: the other half's reference (its path and pointer). */
  readonly pair: { readonly path: string; readonly pointer: string } | null;
  /** For a top-level certificate's chain: its `name` (the key of `TlsMaterial.leaves`). */
  readonly certificate: string | null;
}

/**
 * Every field of a (schema-valid) config that names a TLS file, in document order: the
 * top-level certificates, listeners' `tls.clientAuth.caFile`, upstreams' `tls` files.
 */
export function tlsFileReferences(config: WeirConfig): TlsFileReference[] {
  const out: TlsFileReference[] = [];
  for (const [i, cert] of (config.certificates ?? []).entries()) {
    const chain = { path: cert.certFile, pointer: jsonPointer('certificates', i, 'certFile') };
    const key = { path: cert.keyFile, pointer: jsonPointer('certificates', i, 'keyFile') };
    out.push({ ...chain, role: 'chain', pair: key, certificate: cert.name });
    out.push({ ...key, role: 'key', pair: chain, certificate: cert.name });
  }
  for (const [i, listener] of config.listeners.entries()) {
    const caFile = listener.tls?.clientAuth?.caFile;
    if (caFile !== undefined) {
      out.push({ path: caFile, pointer: jsonPointer('listeners', i, 'tls', 'clientAuth', 'caFile'), role: 'ca', pair: null, certificate: null });
    }
  }
  for (const [i, upstream] of (config.upstreams ?? []).entries()) {
    const tls = upstream.tls;
    if (tls === undefined) continue;
    if (tls.caFile !== undefined) {
      out.push({ path: tls.caFile, pointer: jsonPointer('upstreams', i, 'tls', 'caFile'), role: 'ca', pair: null, certificate: null });
    }
    const chain = tls.certFile === undefined ? null : { path: tls.certFile, pointer: jsonPointer('upstreams', i, 'tls', 'certFile') };
    const key = tls.keyFile === undefined ? null : { path: tls.keyFile, pointer: jsonPointer('upstreams', i, 'tls', 'keyFile') };
    if (chain !== null) out.push({ ...chain, role: 'chain', pair: key, certificate: null });
    if (key !== null) out.push({ ...key, role: 'key', pair: chain, certificate: null });
  }
  return out;
}
