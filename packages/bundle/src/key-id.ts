import { WeirError } from '@weir/errors';
import { KEY_ID_PATTERN } from './bundle-format';

/** `keyId` if it is a well-formed key id; otherwise a thrown WEIR_ERR_BUNDLE_KEY_INVALID. */
export function checkKeyId(keyId: unknown): string {
  if (typeof keyId !== 'string' || !KEY_ID_PATTERN.test(keyId)) {
    const shown = typeof keyId === 'string' ? `"${keyId}"` : String(keyId);
    throw new WeirError('WEIR_ERR_BUNDLE_KEY_INVALID', `key id ${shown} is not 1-64 letters, digits, ".", "_" or "-" starting with a letter or digit`);
  }
  return keyId;
}
