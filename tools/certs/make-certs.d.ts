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

export function makeCertificates(dir: string, entries: readonly CertificateRequest[]): Record<string, CertificateFiles> & { ca: CertificateFiles };
