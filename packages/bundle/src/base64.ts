/**
 * Strict base64 (RFC 4648 section 4: standard alphabet, `=` padding, no line breaks or spaces).
 * Node's decoder skips characters it does not know, so two different strings could decode to the
 * same bytes; a bundle field must have exactly one spelling, so anything that does not encode back
 * to itself is refused.
 */

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The bytes of `text`, or null when it is not canonical base64 (or not `length` bytes long, when given). */
export function decodeBase64(text: string, length?: number): Buffer | null {
  if (!BASE64.test(text)) return null;
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64') !== text) return null;
  if (length !== undefined && bytes.length !== length) return null;
  return bytes;
}

/** Canonical base64 of `bytes`. */
export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
