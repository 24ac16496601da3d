/** The bundle puller section of the Weir config (control plane only; workers never see it). */

/**
 * The bundle puller (apps/weir/docs/operations.md, "Bundles"): the primary polls `url` (or the
 * S3 object `s3`) for a signed config bundle (apps/weir/docs/bundles.md), verifies it against `trustedKeys` and
 * applies it (or starts a rollout with it). Absent: no puller. Host-local: when the puller
 * applies a bundle, the running config's `pull` section replaces the bundle's own, so a bundle
 * can neither retarget nor stop the puller nor change the keys that verify the next bundle.
 * Workers only see a digest of this section; changing it through the admin API needs the
 * `admin` scope.
 */
export interface PullConfig {
  /**
   * Where the bundle file is: an `http://` or `https://` URL (a static server, a CDN), without
   * credentials. Exactly one of `url` and `s3`.
   */
  readonly url?: string;
  /** The bundle file is an object in S3 or an S3-compatible store. Exactly one of `url` and `s3`. */
  readonly s3?: PullS3Config;
  /**
   * Time between two polls after a success (including a 304 or a rejected bundle), 100 ms to
   * 24 h (below a second is for tests). Default `30000`.
   */
  readonly intervalMs?: number;
  /**
   * A random 0 to `jitterMs` added to every wait, so a fleet does not poll in step; 0 to 24 h.
   * Default `3000`.
   */
  readonly jitterMs?: number;
  /**
   * Longest wait after failures (source unreachable, timed out, a status other than 200 or 304,
   * too large, or workers refusing the apply): the wait doubles from `intervalMs` with each
   * consecutive failure up to this, and is back to `intervalMs` after a success; at least
   * `intervalMs`; 100 ms to 24 h. Default `300000`.
   */
  readonly maxBackoffMs?: number;
  /** Deadline of one download, headers and body, 1 ms to 24 h. Default `10000`. */
  readonly timeoutMs?: number;
  /**
   * Largest bundle file accepted, in bytes, 1024-67108864; the download stops as soon as it is
   * over. Default `16777216`.
   */
  readonly maxBytes?: number;
  /** The public keys bundles must be signed with, by key id; 1 to 16, ids and keys unique. Required. */
  readonly trustedKeys: readonly PullTrustedKeyConfig[];
  /**
   * Valid signatures by distinct trusted keys a bundle needs (k of n), 1 to the number of
   * `trustedKeys`. Default `1`.
   */
  readonly threshold?: number;
  /**
   * `"apply"`: apply a verified bundle's config at once (two-phase, like any apply).
   * `"rollout"`: start a staged rollout to it with the default stages and analysis (a bundle
   * that arrives during a running rollout waits for it to end). Default `"apply"`.
   */
  readonly mode?: 'apply' | 'rollout';
}

/** One trusted public key: exactly one of `publicKey` and `publicKeyFile`. */
export interface PullTrustedKeyConfig {
  /** The key id signatures name: 1-64 letters, digits, `.`, `_`, `-`, starting with a letter or digit. */
  readonly keyId: string;
  /** The 32-byte ed25519 public key in base64 (the `publicKey` field of `ID.pub`). */
  readonly publicKey?: string;
  /**
   * A public key file as `weirctl bundle keygen` writes it (`ID.pub`), read when the puller is
   * configured; its key id must be `keyId`.
   */
  readonly publicKeyFile?: string;
}

/**
 * An S3 (or S3-compatible) object as the bundle source: a GetObject signed with SigV4, with
 * `If-None-Match`. Credentials are never in the config: the primary reads `AWS_ACCESS_KEY_ID`,
 * `AWS_SECRET_ACCESS_KEY` and the optional `AWS_SESSION_TOKEN` from its environment at start;
 * without them every poll fails with WEIR_ERR_BUNDLE_SOURCE (operations.md, "Bundles").
 */
export interface PullS3Config {
  /** The bucket: 3-63 lowercase letters, digits, `.` and `-`. Required. */
  readonly bucket: string;
  /** The object key of the bundle file, 1-1024 characters, not starting with `/`. Required. */
  readonly key: string;
  /** The region requests are signed for, e.g. `eu-west-1` (S3-compatible stores: often `us-east-1`). Required. */
  readonly region: string;
  /**
   * `http://` or `https://` origin (scheme, host, optional port; no path, no credentials) of an
   * S3-compatible store, e.g. `http://127.0.0.1:9000`. Absent: AWS (`https://s3.<region>.amazonaws.com`).
   */
  readonly endpoint?: string;
  /**
   * `true`: path-style URLs (`<endpoint>/<bucket>/<key>`); `false`: virtual-hosted
   * (`<bucket>.<host>/<key>`). Default: `true` when `endpoint` is set, `false` otherwise.
   */
  readonly forcePathStyle?: boolean;
}
