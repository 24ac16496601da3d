/** One certificate to make (see make-certs.js). */
export interface CertificateRequest {
  readonly name: string;
  /** DNS subjectAltNames; the first is also the common name. */
  readonly names?: readonly string[];
  /** IP subjectAltNames. */
  readonly ips?: readonly string[];
  /** Valid for one day in 2020. */
  readonly expired?: boolean;
  /** Validity in days from now (default 30). */
  readonly days?: number;
  /** false: self-signed rather than signed by the CA. */
  readonly ca?: boolean;
}

/** A certificate file and its private key file (absolute paths). */
export interface CertificateFiles {
  readonly cert: string;
  readonly key: string;
}

/** The files `makeCertificates` made: the CA (`ca`) and one entry per requested name. */
export type CertificateSet<N extends string> = { [K in N]: CertificateFiles } & { ca: CertificateFiles };

/**
 * Makes `dir`, a CA in it, and one certificate per entry. The result is typed by the entries'
 * names (a `const` type parameter), so `certs.server` needs no index-signature access.
 */
export function makeCertificates<const E extends readonly CertificateRequest[]>(dir: string, entries: E): CertificateSet<E[number]['name']>;
