import { WeirError } from '@weir/errors';
import nacl from 'tweetnacl';
import { BUNDLE_LIMITS } from './bundle-format';
import { encodeEnvelope, sha256Hex, type BundleSignature } from './bundle-envelope';
import { encodePayload, type PayloadContents } from './bundle-payload';
import type { SigningKey } from './signing-key';

/** A freshly signed bundle. */
export interface SignedBundle {
  /** The bundle file. */
  readonly bytes: Buffer;
  /** The payload bytes the signatures cover. */
  readonly payload: Buffer;
  readonly payloadSha256: string;
  readonly signatures: readonly BundleSignature[];
}

/** The detached ed25519 signature (64 bytes) of `key` over `payload`. Deterministic (RFC 8032). */
export function signPayload(payload: Uint8Array, key: SigningKey): BundleSignature {
  return { keyId: key.keyId, sig: nacl.sign.detached(payload, key.secretKey) };
}

/**
 * Sign `contents` with every key in `keys` (several keys: for a threshold, or during a key
 * rotation so hosts trusting either the old or the new key accept it). The payload bytes are
 * canonical (encodePayload), so the same contents and keys always give the same file. Throws
 * WEIR_ERR_BUNDLE_MALFORMED for contents that would not verify, WEIR_ERR_BUNDLE_KEY_INVALID for
 * no key or a repeated key id.
 */
export function signBundle(contents: PayloadContents, keys: readonly SigningKey[]): SignedBundle {
  if (keys.length === 0) throw new WeirError('WEIR_ERR_BUNDLE_KEY_INVALID', 'signing needs at least one key');
  if (keys.length > BUNDLE_LIMITS.maxSignatures) throw new WeirError('WEIR_ERR_BUNDLE_KEY_INVALID', `a bundle carries at most ${BUNDLE_LIMITS.maxSignatures} signatures`);
  const ids = new Set(keys.map((k) => k.keyId));
  if (ids.size !== keys.length) throw new WeirError('WEIR_ERR_BUNDLE_KEY_INVALID', 'each signing key must have its own key id');
  const payload = encodePayload(contents);
  const signatures = keys.map((key) => signPayload(payload, key));
  return { bytes: encodeEnvelope(payload, signatures), payload, payloadSha256: sha256Hex(payload), signatures };
}
