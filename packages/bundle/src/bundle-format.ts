/**
 * The constants of the bundle format, version 1 (apps/weir/docs/bundles.md specifies it). A
 * change to any of them is a new format version, never an edit of this one.
 */

/** `format` of a bundle file (the envelope). */
export const BUNDLE_FORMAT = 'weir-bundle/1';

/** `format` of the signed payload inside it. Signing it is the domain separation: a signature over
 * any other JSON document made with the same key never verifies as a Weir bundle payload. */
export const PAYLOAD_FORMAT = 'weir-bundle-payload/1';

/** `format` of a public key file (`ID.pub`). */
export const PUBLIC_KEY_FORMAT = 'weir-bundle-public-key/1';

/** `format` of a private key file (`ID.key`). */
export const PRIVATE_KEY_FORMAT = 'weir-bundle-private-key/1';

/** Sizes of ed25519 material (RFC 8032), in bytes. */
export const ED25519 = {
  seedBytes: 32,
  publicKeyBytes: 32,
  signatureBytes: 64,
} as const;

/** Limits a bundle must stay within; anything beyond is malformed. */
export const BUNDLE_LIMITS = {
  /** Size of a whole bundle file. A 20,000-route config is a few MB; the puller caps downloads itself. */
  maxBundleBytes: 64 * 1024 * 1024,
  /** Signatures in one bundle. */
  maxSignatures: 16,
  /** Target labels in one payload. */
  maxLabels: 64,
  /** Length of one label value, in UTF-16 code units. */
  maxLabelValueLength: 256,
} as const;

/** Key ids: 1-64 letters, digits, `.`, `_`, `-`, starting with a letter or digit (safe as a file name). */
export const KEY_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Label keys: 1-63 letters, digits, `.`, `_`, `/`, `-`, starting with a letter or digit. */
export const LABEL_KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,62}$/;
