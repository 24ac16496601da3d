import { createHash } from 'node:crypto';
import type { UpstreamTlsSpec } from '@weir/runtime';

/** Digests already computed, per spec object (frozen and shared by an upstream's endpoints). */
const digests = new WeakMap<UpstreamTlsSpec, string>();

/**
 * The part of a pool's identity that TLS settings contribute: `plain` without TLS, else
 * `tls:` and the first 128 bits of a SHA-256 over every field of the spec (CA, server name,
 * verify, client certificate and key, minimum version). A CA rotation or a new client
 * certificate changes it, so the endpoint gets a new pool (and new handshakes) while the old
 * pool drains; an unrelated change elsewhere in the config leaves it alone, so keep-alive
 * connections survive the reload (DESIGN.md section 2, "Reconciliation").
 *
 * A digest rather than the PEM text: keys stay short, and the private key never appears in a
 * key that diagnostics may print. Computed once per spec object (all endpoints of an upstream
 * share it), at assemble time, never per request.
 */
export function tlsIdentity(tls: UpstreamTlsSpec | null): string {
  if (tls === null) return 'plain';
  let digest = digests.get(tls);
  if (digest === undefined) {
    const fields = [tls.caPem, tls.serverName, tls.verify, tls.certPem, tls.keyPem, tls.minVersion];
    digest = `tls:${createHash('sha256').update(JSON.stringify(fields)).digest('hex').slice(0, 32)}`;
    digests.set(tls, digest);
  }
  return digest;
}
