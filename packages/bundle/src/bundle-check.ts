import type { WeirError } from '@weir/errors';
import type { BundleMetadata } from './bundle-payload';

/** The codes a bundle is rejected with, in the order verification checks them. */
export const BUNDLE_REJECTION_CODES = [
  'WEIR_ERR_BUNDLE_MALFORMED',
  'WEIR_ERR_BUNDLE_TAMPERED',
  'WEIR_ERR_BUNDLE_UNKNOWN_KEY',
  'WEIR_ERR_BUNDLE_BAD_SIGNATURE',
  'WEIR_ERR_BUNDLE_THRESHOLD',
  'WEIR_ERR_BUNDLE_EXPIRED',
  'WEIR_ERR_BUNDLE_REVISION',
  'WEIR_ERR_BUNDLE_CONFIG_INVALID',
] as const;

/** Why a bundle was rejected. */
export type BundleRejectionCode = (typeof BUNDLE_REJECTION_CODES)[number];

/** A signature that did not count towards the threshold, and why. */
export interface IgnoredSignature {
  readonly keyId: string;
  /** `unknown-key`: no trusted key has this id; `bad-signature`: it does not verify. */
  readonly reason: 'unknown-key' | 'bad-signature';
}

/** A bundle that passed every check: what a host may apply. */
export interface VerifiedBundle {
  readonly metadata: BundleMetadata;
  /** The config, parsed from the verified payload bytes (validated when a validator was given). */
  readonly config: Readonly<Record<string, unknown>>;
  /** The verified payload bytes (persist these, or the whole file, to serve them after a restart). */
  readonly payload: Buffer;
  readonly payloadSha256: string;
  /** Key ids whose signatures verified, in file order. */
  readonly signedBy: readonly string[];
  /** Signatures that did not count (unknown key ids, or a bad one among enough good ones): log them. */
  readonly ignoredSignatures: readonly IgnoredSignature[];
}

/**
 * The outcome of verifying a bundle: the verified bundle, or a WeirError whose `code` is one of
 * {@link BUNDLE_REJECTION_CODES} (with `pointer` for a malformed payload, and the validator's
 * `details` for an invalid config).
 */
export type BundleCheck =
  | { readonly ok: true; readonly bundle: VerifiedBundle }
  | { readonly ok: false; readonly error: WeirError & { readonly code: BundleRejectionCode } };
