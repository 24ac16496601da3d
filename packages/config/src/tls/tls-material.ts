/**
 * What `loadTlsMaterial` read and checked for a config: the PEM text of every file the config's
 * TLS settings name, and facts about each certificate's leaf. `buildSpec` copies it into the
 * spec, so the spec (and its hash) carries the certificates themselves, not their paths.
 */
export interface TlsMaterial {
  /** PEM text by file path, exactly as the path is written in the config. */
  readonly files: ReadonlyMap<string, string>;
  /** By certificate name (`certificates[].name`). */
  readonly leaves: ReadonlyMap<string, LeafFacts>;
}

/** Facts read from a certificate's leaf. */
export interface LeafFacts {
  /** Lower-cased DNS subjectAltNames (the common name when there are none). */
  readonly dnsNames: readonly string[];
  /** notAfter, milliseconds since the epoch. */
  readonly notAfter: number;
}

