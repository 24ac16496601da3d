import { hkdfSync } from 'node:crypto';
import { createSecureContext, type SecureContext, type SecureContextOptions } from 'node:tls';
import type { CertificateSpec, ListenerSpec, ListenerTlsSpec, Spec } from '@weir/runtime';
import { WeirError } from '@weir/errors';
import { SniTable } from './sni-table';

/**
 * A TLS listener's certificate store as of one spec: a secure context per certificate, chosen
 * by SNI (`SniTable`), plus what the server reads per connection. Built in `prepare` (so a
 * context OpenSSL refuses fails the prepare, never a commit) and handed to the listener at
 * commit; handshakes that start after the commit use it, connections already open keep the
 * certificate they negotiated.
 */
export interface ListenerTls {
  readonly table: SniTable<SecureContext>;
  /**
   * The default certificate with the listener's settings, as `setSecureContext` options: the
   * server's own context answers clients that send no SNI.
   */
  readonly defaultOptions: SecureContextOptions;
  /** Ask for a client certificate (mTLS). */
  readonly requestCert: boolean;
  /** Refuse a handshake without a valid client certificate. */
  readonly rejectUnauthorized: boolean;
  readonly alpn: readonly string[];
  readonly handshakeTimeoutMs: number;
}

/**
 * Builds the store of a `tls` listener of `spec`. Throws WEIR_ERR_CONFIG_INVALID when a
 * certificate the listener names is missing from the spec or OpenSSL refuses its material
 * (validation on the primary checks both first; this is the worker's own guard).
 *
 * With `ticketSecret`, every context of the listener gets session-ticket keys derived from it
 * (HKDF-SHA256, salted with the listener name): the same in every worker, so a client resumes
 * its session on whichever worker accepts its next connection (nginx shares one process's keys
 * between its workers the same way). Without it, Node gives each context random keys.
 */
export function buildListenerTls(spec: Spec, listener: ListenerSpec, ticketSecret: Buffer | null = null): ListenerTls {
  const tls = listener.tls as ListenerTlsSpec;
  const ticketKeys = ticketSecret === null ? null : Buffer.from(hkdfSync('sha256', ticketSecret, listener.name, 'weir tls session tickets', 48));
  const certificates = new Map<string, CertificateSpec>();
  for (let i = 0; i < spec.certificates.length; i++) {
    const c = spec.certificates[i] as CertificateSpec;
    certificates.set(c.name, c);
  }
  const contexts = new Map<string, SecureContext>();
  const contextOf = (name: string): SecureContext => {
    let context = contexts.get(name);
    if (context === undefined) {
      context = create(listener, contextOptions(tls, find(certificates, name, listener), ticketKeys), name);
      contexts.set(name, context);
    }
    return context;
  };
  const table = new SniTable(contextOf(tls.defaultCertificate));
  for (let i = 0; i < tls.certificates.length; i++) {
    const name = tls.certificates[i] as string;
    table.add(find(certificates, name, listener).serverNames, contextOf(name));
  }
  return {
    table,
    defaultOptions: contextOptions(tls, find(certificates, tls.defaultCertificate, listener), ticketKeys),
    requestCert: tls.clientAuth !== null,
    rejectUnauthorized: tls.clientAuth !== null && tls.clientAuth.required,
    alpn: tls.alpn,
    handshakeTimeoutMs: tls.handshakeTimeoutMs,
  };
}

/** node:tls options of one certificate under a listener's protocol settings. */
function contextOptions(tls: ListenerTlsSpec, cert: CertificateSpec, ticketKeys: Buffer | null): SecureContextOptions {
  return {
    cert: cert.certPem,
    key: cert.keyPem,
    minVersion: tls.minVersion,
    maxVersion: tls.maxVersion,
    ciphers: tls.ciphers,
    ecdhCurve: tls.ecdhCurves,
    honorCipherOrder: true,
    ...(tls.clientAuth === null ? {} : { ca: tls.clientAuth.caPem }),
    ...(ticketKeys === null ? {} : { ticketKeys }),
  };
}

function find(certificates: Map<string, CertificateSpec>, name: string, listener: ListenerSpec): CertificateSpec {
  const cert = certificates.get(name);
  if (cert === undefined) {
    throw new WeirError('WEIR_ERR_CONFIG_INVALID', `listener ${listener.name} names certificate "${name}", which the spec does not hold`);
  }
  return cert;
}

function create(listener: ListenerSpec, options: SecureContextOptions, name: string): SecureContext {
  try {
    return createSecureContext(options);
  } catch (err) {
    throw new WeirError('WEIR_ERR_CONFIG_INVALID', `listener ${listener.name}: certificate "${name}" cannot be used: ${(err as Error).message}`, {
      cause: err,
    });
  }
}
