import { WeirError } from '@weir/errors';
import { decodeBase64, encodeBase64 } from './base64';
import { ED25519, PRIVATE_KEY_FORMAT, PUBLIC_KEY_FORMAT } from './bundle-format';
import { checkKeyId } from './key-id';
import { signingKeyFromSeed, trustedKey, type SigningKey, type TrustedKey } from './signing-key';

/**
 * Key files, as `weirctl bundle keygen` writes them: one JSON object on one line.
 *
 *     ID.key  {"format":"weir-bundle-private-key/1","keyId":"ID","seed":"<base64, 32 bytes>"}
 *     ID.pub  {"format":"weir-bundle-public-key/1","keyId":"ID","publicKey":"<base64, 32 bytes>"}
 *
 * The key id travels with the key, so `--pub ID.pub` is all a verifier needs.
 */

function invalid(message: string): WeirError {
  return new WeirError('WEIR_ERR_BUNDLE_KEY_INVALID', message);
}

function parseObject(text: string, what: string, format: string, field: string, length: number): { keyId: string; bytes: Uint8Array } {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw invalid(`not a ${what} file: not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(`not a ${what} file: not a JSON object`);
  const record = value as Record<string, unknown>;
  if (record['format'] !== format) throw invalid(`not a ${what} file: "format" must be "${format}"`);
  const keys = Object.keys(record).sort().join(',');
  const expected = ['format', 'keyId', field].sort().join(',');
  if (keys !== expected) throw invalid(`${what} file: the fields must be exactly format, keyId and ${field}`);
  const keyId = checkKeyId(record['keyId']);
  const raw = record[field];
  const bytes = typeof raw === 'string' ? decodeBase64(raw, length) : null;
  if (bytes === null) throw invalid(`${what} file of "${keyId}": "${field}" must be ${length} bytes in canonical base64`);
  return { keyId, bytes };
}

/** The text of `key`'s private key file (keep it secret: mode 0600). */
export function encodePrivateKeyFile(key: SigningKey): string {
  return `${JSON.stringify({ format: PRIVATE_KEY_FORMAT, keyId: key.keyId, seed: encodeBase64(key.seed) })}\n`;
}

/** The text of the public key file of `key`. */
export function encodePublicKeyFile(key: TrustedKey): string {
  return `${JSON.stringify({ format: PUBLIC_KEY_FORMAT, keyId: key.keyId, publicKey: encodeBase64(key.publicKey) })}\n`;
}

/** The signing key in a private key file's text. Throws WEIR_ERR_BUNDLE_KEY_INVALID. */
export function parsePrivateKeyFile(text: string): SigningKey {
  const { keyId, bytes } = parseObject(text, 'private key', PRIVATE_KEY_FORMAT, 'seed', ED25519.seedBytes);
  return signingKeyFromSeed(keyId, bytes);
}

/** The trusted key in a public key file's text. Throws WEIR_ERR_BUNDLE_KEY_INVALID. */
export function parsePublicKeyFile(text: string): TrustedKey {
  const { keyId, bytes } = parseObject(text, 'public key', PUBLIC_KEY_FORMAT, 'publicKey', ED25519.publicKeyBytes);
  return trustedKey(keyId, bytes);
}
