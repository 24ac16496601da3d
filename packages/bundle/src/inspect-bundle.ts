import { isWeirError, WeirError } from '@weir/errors';
import { parseEnvelope, sha256Hex } from './bundle-envelope';
import { parsePayload, type BundleMetadata } from './bundle-payload';

/** What a bundle file says, read without verifying any signature. */
export interface BundleInspection {
  /** As the payload states it (unverified). */
  readonly metadata: BundleMetadata;
  /** The config value in the payload (neither verified nor validated). */
  readonly config: Readonly<Record<string, unknown>>;
  /** Lowercase hex sha256 of the payload bytes (equal to the recorded one, or the file is refused). */
  readonly payloadSha256: string;
  /** Size of the payload bytes. */
  readonly payloadBytes: number;
  /** Key ids of the signatures, in file order (not verified). */
  readonly signatureKeyIds: readonly string[];
}

/** The outcome of {@link inspectBundle}. */
export type BundleInspectionCheck =
  | { readonly ok: true; readonly inspection: BundleInspection }
  | { readonly ok: false; readonly error: WeirError & { readonly code: 'WEIR_ERR_BUNDLE_MALFORMED' | 'WEIR_ERR_BUNDLE_TAMPERED' } };

/**
 * Read a bundle's metadata for display (`weirctl bundle inspect`): the envelope and payload are
 * parsed and the payload's digest checked, but no signature is verified, so nothing read here may
 * be acted on. A malformed file or a payload that does not match its digest is refused.
 */
export function inspectBundle(bytes: Uint8Array): BundleInspectionCheck {
  try {
    const envelope = parseEnvelope(bytes);
    const digest = sha256Hex(envelope.payload);
    if (digest !== envelope.payloadSha256) {
      const error = new WeirError('WEIR_ERR_BUNDLE_TAMPERED', `the payload's sha256 is ${digest}, but the bundle records ${envelope.payloadSha256}: it was changed after signing`);
      return { ok: false, error: error as WeirError & { code: 'WEIR_ERR_BUNDLE_TAMPERED' } };
    }
    const payload = parsePayload(envelope.payload);
    return {
      ok: true,
      inspection: {
        metadata: payload.metadata,
        config: payload.config,
        payloadSha256: digest,
        payloadBytes: envelope.payload.byteLength,
        signatureKeyIds: envelope.signatures.map((s) => s.keyId),
      },
    };
  } catch (err) {
    if (isWeirError(err) && err.code === 'WEIR_ERR_BUNDLE_MALFORMED') return { ok: false, error: err as WeirError & { code: 'WEIR_ERR_BUNDLE_MALFORMED' } };
    throw err;
  }
}
