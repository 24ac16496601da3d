/**
 * @weir/bundle: signed config bundles (apps/weir/docs/bundles.md). The format, its canonical
 * payload bytes, ed25519 signing (tweetnacl) and verification with one stable reason per
 * rejection. It signs and verifies bytes: it never imports the config package (callers pass a
 * validator), so weirctl and the primary's puller share it without pulling in the control plane.
 */
export { BUNDLE_FORMAT, PAYLOAD_FORMAT, PUBLIC_KEY_FORMAT, PRIVATE_KEY_FORMAT, BUNDLE_LIMITS, ED25519, KEY_ID_PATTERN, LABEL_KEY_PATTERN } from './bundle-format';
export { decodeBase64, encodeBase64 } from './base64';
export { parseTimestamp, formatTimestamp } from './timestamp';
export { encodePayload, parsePayload } from './bundle-payload';
export type { BundleMetadata, BundlePayload, PayloadContents } from './bundle-payload';
export { encodeEnvelope, parseEnvelope, sha256Hex } from './bundle-envelope';
export type { BundleEnvelope, BundleSignature } from './bundle-envelope';
export { checkKeyId } from './key-id';
export { signingKeyFromSeed, generateSigningKey, publicKeyOf, trustedKey } from './signing-key';
export type { SigningKey, TrustedKey } from './signing-key';
export { encodePrivateKeyFile, encodePublicKeyFile, parsePrivateKeyFile, parsePublicKeyFile } from './key-file';
export { signBundle, signPayload } from './sign-bundle';
export type { SignedBundle } from './sign-bundle';
export { BundleVerifier } from './bundle-verifier';
export type { BundleTrust, ConfigValidator, VerifyOptions } from './bundle-verifier';
export { BUNDLE_REJECTION_CODES } from './bundle-check';
export type { BundleCheck, BundleRejectionCode, IgnoredSignature, VerifiedBundle } from './bundle-check';
export { inspectBundle } from './inspect-bundle';
export type { BundleInspection, BundleInspectionCheck } from './inspect-bundle';
