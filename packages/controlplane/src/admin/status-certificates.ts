import type { Spec } from '@weir/runtime';

/** One certificate of the running config as `GET /admin/status` shows it (`certificates`). */
export interface CertificateRow {
  readonly name: string;
  /** The names it answers for: config `serverNames`, else the leaf's SANs. */
  readonly serverNames: readonly string[];
  /** The leaf's notAfter. */
  readonly notAfter: string;
  /** Whole seconds until notAfter at the time of the answer; negative once expired. */
  readonly expiresInSeconds: number;
  /** The TLS listeners that serve it. */
  readonly listeners: readonly string[];
}

/**
 * The certificate store of the running spec with each certificate's expiry (issue 17's overview
 * shows them; the `weir_tls_certificate_expiry_seconds` metric has the same figure), soonest
 * first. The spec holds what the files said when it was built, so a renewal shows once applied.
 */
export function certificateRows(spec: Spec, nowMs: number): CertificateRow[] {
  const rows = spec.certificates.map((c) => ({
    name: c.name,
    serverNames: c.serverNames,
    notAfter: new Date(c.notAfter).toISOString(),
    expiresInSeconds: Math.floor((c.notAfter - nowMs) / 1000),
    listeners: spec.listeners.filter((l) => l.tls !== null && l.tls.certificates.includes(c.name)).map((l) => l.name),
  }));
  return rows.sort((a, b) => a.expiresInSeconds - b.expiresInSeconds);
}
