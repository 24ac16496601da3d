import { randomBytes } from 'node:crypto';
import { WeirError } from '@weir/errors';
import nacl from 'tweetnacl';
import { ED25519 } from './bundle-format';
import { checkKeyId } from './key-id';

/** A private signing key: the 32-byte ed25519 seed (RFC 8032's "private key") and its id. */
export interface SigningKey {
  readonly keyId: string;
  readonly seed: Uint8Array;
  readonly publicKey: Uint8Array;
  /** tweetnacl's 64-byte secret key (seed followed by the public key). */
  readonly secretKey: Uint8Array;
}

/** A public key a host trusts, by id. */
export interface TrustedKey {
  readonly keyId: string;
  /** 32 bytes. */
  readonly publicKey: Uint8Array;
}

/** The signing key of `seed` (32 bytes), named `keyId`. Throws WEIR_ERR_BUNDLE_KEY_INVALID. */
export function signingKeyFromSeed(keyId: string, seed: Uint8Array): SigningKey {
  checkKeyId(keyId);
  if (seed.byteLength !== ED25519.seedBytes) {
    throw new WeirError('WEIR_ERR_BUNDLE_KEY_INVALID', `key "${keyId}": an ed25519 seed is ${ED25519.seedBytes} bytes, got ${seed.byteLength}`);
  }
  const pair = nacl.sign.keyPair.fromSeed(Uint8Array.from(seed));
  return { keyId, seed: Uint8Array.from(seed), publicKey: pair.publicKey, secretKey: pair.secretKey };
}

/** A new signing key from `random` (default: the operating system's CSPRNG). */
export function generateSigningKey(keyId: string, random: (size: number) => Uint8Array = randomBytes): SigningKey {
  return signingKeyFromSeed(keyId, random(ED25519.seedBytes));
}

/** The public half of `key`, as a host trusts it. */
export function publicKeyOf(key: SigningKey): TrustedKey {
  return { keyId: key.keyId, publicKey: key.publicKey };
}

/** A trusted key from its id and 32 public-key bytes. Throws WEIR_ERR_BUNDLE_KEY_INVALID. */
export function trustedKey(keyId: string, publicKey: Uint8Array): TrustedKey {
  checkKeyId(keyId);
  if (publicKey.byteLength !== ED25519.publicKeyBytes) {
    throw new WeirError('WEIR_ERR_BUNDLE_KEY_INVALID', `key "${keyId}": an ed25519 public key is ${ED25519.publicKeyBytes} bytes, got ${publicKey.byteLength}`);
  }
  return { keyId, publicKey: Uint8Array.from(publicKey) };
}
