/** The SNI names one certificate answers for, and whether the config wrote them. */
export interface ClaimedNames {
  /** Lower-cased exact names and `*.` wildcards. */
  readonly names: readonly string[];
  /** true: the certificate's own `serverNames`; false: read from its leaf. */
  readonly explicit: boolean;
}

/** Two certificates of one listener answering for the same name. */
export interface ServerNameClash {
  /** Index in the listener's `tls.certificates` of the later certificate. */
  readonly index: number;
  /** Index in the listener's `tls.certificates` of the first one claiming the name. */
  readonly firstIndex: number;
  readonly certificate: string;
  readonly firstCertificate: string;
  /** The name both claim, lower-cased. */
  readonly serverName: string;
  /** Both claims come from `serverNames` (a config fact, found without reading files). */
  readonly explicit: boolean;
}

/**
 * The names claimed twice among a listener's certificates, compared case-insensitively. SNI
 * selection (exact name, then a one-label wildcard, then the default certificate) must never
 * have two candidates at one step, so an exact name or the same wildcard on two certificates is
 * an error rather than "first wins": Weir would otherwise serve one of them by config order and
 * the other never, silently. `claims` returns undefined for a certificate it cannot tell
 * (unknown name, leaf not read); those are skipped. One clash per later certificate and name.
 */
export function serverNameClashes(
  certificates: readonly string[],
  claims: (certificate: string) => ClaimedNames | undefined,
): ServerNameClash[] {
  const owners = new Map<string, { readonly index: number; readonly explicit: boolean }>();
  const clashes: ServerNameClash[] = [];
  for (let index = 0; index < certificates.length; index++) {
    const certificate = certificates[index] as string;
    const claim = claims(certificate);
    if (claim === undefined) continue;
    const seen = new Set<string>();
    for (const raw of claim.names) {
      const serverName = raw.toLowerCase();
      if (seen.has(serverName)) continue;
      seen.add(serverName);
      const owner = owners.get(serverName);
      if (owner === undefined) {
        owners.set(serverName, { index, explicit: claim.explicit });
        continue;
      }
      clashes.push({
        index,
        firstIndex: owner.index,
        certificate,
        firstCertificate: certificates[owner.index] as string,
        serverName,
        explicit: claim.explicit && owner.explicit,
      });
    }
  }
  return clashes;
}

/** The operator's wording of a clash. */
export function serverNameClashMessage(clash: ServerNameClash, firstPointer: string, source: string): string {
  return (
    `certificate "${clash.certificate}" answers for "${clash.serverName}", as does certificate "${clash.firstCertificate}" ` +
    `at ${firstPointer} (${source}); SNI cannot choose between them: give one of them "serverNames" without this name`
  );
}
