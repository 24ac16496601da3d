import { isWeirError, WeirError, type ErrorDetail } from '@weir/errors';
import nacl from 'tweetnacl';
import { parseEnvelope, sha256Hex, type BundleEnvelope } from './bundle-envelope';
import { parsePayload, type BundlePayload } from './bundle-payload';
import type { BundleCheck, BundleRejectionCode, IgnoredSignature } from './bundle-check';
import { trustedKey, type TrustedKey } from './signing-key';

/** The keys a host trusts, and how many of them must sign (k of n). */
export interface BundleTrust {
  readonly keys: readonly TrustedKey[];
  /** Valid signatures by distinct trusted keys a bundle needs. Default 1. */
  readonly threshold?: number;
}

/**
 * Checks a caller runs on the config of a correctly signed bundle. `validateConfig` of
 * `@weir/config` fits as is; this package never imports it (it signs and verifies bytes).
 */
export type ConfigValidator = (config: unknown) => { readonly ok: true } | { readonly ok: false; readonly error: Error };

/** What one verification depends on besides the bytes. */
export interface VerifyOptions {
  /** The current time, epoch ms (an injected clock: the caller reads it). */
  readonly now: number;
  /** The revision the host runs; only a newer one is accepted. Null or absent: none yet. */
  readonly currentRevision?: number | null;
  /** Config checks; absent: the caller validates `bundle.config` itself. */
  readonly validateConfig?: ConfigValidator;
}

function reject(code: BundleRejectionCode, message: string, options?: { cause?: unknown; details?: readonly ErrorDetail[] }): BundleCheck {
  return { ok: false, error: new WeirError(code, message, options) as WeirError & { code: BundleRejectionCode } };
}

/**
 * Verifies bundle files against a fixed set of trusted keys. The trust settings are checked once,
 * here (duplicate key ids or public keys, threshold outside 1..n: WEIR_ERR_BUNDLE_KEY_INVALID,
 * thrown); `verify` is then a pure function of the bytes and its options and never throws for a
 * bad bundle.
 *
 * Order of the checks (bundles.md): malformed file -> payload digest (tampered) -> signatures
 * (unknown key, bad signature, threshold) -> payload shape (malformed) -> expiry -> revision ->
 * config. Metadata is read only from payload bytes whose signatures verified, and the config is
 * parsed from exactly those bytes.
 */
export class BundleVerifier {
  /** Valid signatures by distinct trusted keys a bundle needs (1 to the number of keys). */
  readonly threshold: number;
  private readonly keys: ReadonlyMap<string, TrustedKey>;

  constructor(trust: BundleTrust) {
    const keys = new Map<string, TrustedKey>();
    const publicKeys = new Set<string>();
    for (const key of trust.keys) {
      const checked = trustedKey(key.keyId, key.publicKey);
      if (keys.has(checked.keyId)) throw new WeirError('WEIR_ERR_BUNDLE_KEY_INVALID', `key id "${checked.keyId}" is trusted twice`);
      // One private key under two ids would count twice towards a threshold.
      const hex = Buffer.from(checked.publicKey).toString('hex');
      if (publicKeys.has(hex)) throw new WeirError('WEIR_ERR_BUNDLE_KEY_INVALID', `key "${checked.keyId}" has the same public key as another trusted key id`);
      publicKeys.add(hex);
      keys.set(checked.keyId, checked);
    }
    const threshold = trust.threshold ?? 1;
    if (!Number.isInteger(threshold) || threshold < 1 || threshold > keys.size) {
      throw new WeirError('WEIR_ERR_BUNDLE_KEY_INVALID', `threshold ${threshold} must be an integer from 1 to the number of trusted keys (${keys.size})`);
    }
    this.keys = keys;
    this.threshold = threshold;
  }

  /** Trusted key ids, in the order given. */
  get keyIds(): readonly string[] {
    return [...this.keys.keys()];
  }

  /** Verify a bundle file's bytes. */
  verify(bytes: Uint8Array, options: VerifyOptions): BundleCheck {
    let envelope: BundleEnvelope;
    try {
      envelope = parseEnvelope(bytes);
    } catch (err) {
      return rejection(err);
    }
    const digest = sha256Hex(envelope.payload);
    if (digest !== envelope.payloadSha256) {
      return reject('WEIR_ERR_BUNDLE_TAMPERED', `the payload's sha256 is ${digest}, but the bundle records ${envelope.payloadSha256}: it was changed after signing`);
    }
    const signedBy: string[] = [];
    const ignored: IgnoredSignature[] = [];
    for (const signature of envelope.signatures) {
      const key = this.keys.get(signature.keyId);
      if (key === undefined) ignored.push({ keyId: signature.keyId, reason: 'unknown-key' });
      else if (nacl.sign.detached.verify(envelope.payload, signature.sig, key.publicKey)) signedBy.push(signature.keyId);
      else ignored.push({ keyId: signature.keyId, reason: 'bad-signature' });
    }
    if (signedBy.length < this.threshold) return this.signatureRejection(signedBy, ignored);

    let payload: BundlePayload;
    try {
      payload = parsePayload(envelope.payload);
    } catch (err) {
      return rejection(err);
    }
    const { metadata } = payload;
    if (payload.expiresAtMs !== null && options.now >= payload.expiresAtMs) {
      return reject('WEIR_ERR_BUNDLE_EXPIRED', `revision ${metadata.revision} expired at ${metadata.expiresAt ?? ''}`);
    }
    const current = options.currentRevision ?? null;
    if (current !== null && metadata.revision <= current) {
      const what = metadata.revision === current ? 'a replay of' : 'older than';
      return reject('WEIR_ERR_BUNDLE_REVISION', `revision ${metadata.revision} is ${what} the current revision ${current}`);
    }
    if (options.validateConfig !== undefined) {
      const result = options.validateConfig(payload.config);
      if (!result.ok) {
        const details = isWeirError(result.error) ? result.error.details : undefined;
        return reject('WEIR_ERR_BUNDLE_CONFIG_INVALID', `the config of revision ${metadata.revision} is invalid: ${result.error.message}`, {
          cause: result.error,
          ...(details === undefined ? {} : { details }),
        });
      }
    }
    return {
      ok: true,
      bundle: { metadata, config: payload.config, payload: envelope.payload, payloadSha256: digest, signedBy, ignoredSignatures: ignored },
    };
  }

  /** The reason too few signatures verified: a bad one, none by a trusted key, or too few. */
  private signatureRejection(signedBy: readonly string[], ignored: readonly IgnoredSignature[]): BundleCheck {
    const bad = ignored.filter((s) => s.reason === 'bad-signature').map((s) => `"${s.keyId}"`);
    if (bad.length > 0) {
      return reject('WEIR_ERR_BUNDLE_BAD_SIGNATURE', `the signature by trusted key ${bad.join(', ')} does not verify over the payload`);
    }
    if (signedBy.length === 0) {
      const seen = ignored.map((s) => `"${s.keyId}"`).join(', ');
      return reject('WEIR_ERR_BUNDLE_UNKNOWN_KEY', `signed by ${seen}, none of which is trusted (trusted: ${this.keyIds.map((id) => `"${id}"`).join(', ')})`);
    }
    return reject('WEIR_ERR_BUNDLE_THRESHOLD', `${signedBy.length} valid signature(s) by trusted keys (${signedBy.map((id) => `"${id}"`).join(', ')}); ${this.threshold} needed`);
  }
}

/** A check failure from a WeirError the parsers threw; anything else is a bug and propagates. */
function rejection(err: unknown): BundleCheck {
  if (isWeirError(err) && err.code === 'WEIR_ERR_BUNDLE_MALFORMED') return { ok: false, error: err as WeirError & { code: BundleRejectionCode } };
  throw err;
}
