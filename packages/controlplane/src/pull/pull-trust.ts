import { readFileSync } from 'node:fs';
import { decodeBase64, ED25519, parsePublicKeyFile, trustedKey, type BundleTrust, type TrustedKey } from '@weir/bundle';
import type { PullConfig } from '@weir/config';
import { WeirError } from '@weir/errors';

/** Reads a public key file's text (tests inject one). Default: `readFileSync(path, 'utf8')`. */
export type ReadKeyFile = (path: string) => string;

/**
 * The trust of a `pull` section: its keys (inline base64, or read from `ID.pub` files whose key id
 * must be the configured one) and threshold. Read when the puller is configured, so a rotated key
 * file is picked up by the next commit that carries the section.
 *
 * @throws WeirError WEIR_ERR_BUNDLE_KEY_INVALID naming the key: an unreadable or malformed file,
 *   a file with another key id, a key that is not 32 bytes.
 */
export function pullTrust(section: PullConfig, readKeyFile: ReadKeyFile = (file) => readFileSync(file, 'utf8')): BundleTrust {
  const keys: TrustedKey[] = [];
  for (const entry of section.trustedKeys) {
    if (entry.publicKey !== undefined) {
      const bytes = decodeBase64(entry.publicKey, ED25519.publicKeyBytes);
      if (bytes === null) throw new WeirError('WEIR_ERR_BUNDLE_KEY_INVALID', `key "${entry.keyId}": publicKey is not ${ED25519.publicKeyBytes} bytes in canonical base64`);
      keys.push(trustedKey(entry.keyId, bytes));
      continue;
    }
    const file = entry.publicKeyFile ?? '';
    let text: string;
    try {
      text = readKeyFile(file);
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));
      throw new WeirError('WEIR_ERR_BUNDLE_KEY_INVALID', `key "${entry.keyId}": cannot read ${file}: ${reason}`, { cause: err });
    }
    const key = parsePublicKeyFile(text);
    if (key.keyId !== entry.keyId) throw new WeirError('WEIR_ERR_BUNDLE_KEY_INVALID', `key "${entry.keyId}": ${file} holds key "${key.keyId}"`);
    keys.push(key);
  }
  return section.threshold === undefined ? { keys } : { keys, threshold: section.threshold };
}
