import { createHash } from 'node:crypto';
import { WeirError } from '@weir/errors';
import { decodeBase64, encodeBase64 } from './base64';
import { BUNDLE_FORMAT, BUNDLE_LIMITS, ED25519, KEY_ID_PATTERN } from './bundle-format';

/** One detached ed25519 signature over the payload bytes, by the key named `keyId`. */
export interface BundleSignature {
  readonly keyId: string;
  /** 64 bytes. */
  readonly sig: Uint8Array;
}

/**
 * A bundle file, parsed but not verified: the exact payload bytes, the digest recorded next to
 * them, and the signatures. Nothing in it is trusted until a signature verifies.
 */
export interface BundleEnvelope {
  readonly payload: Buffer;
  /** Lowercase hex sha256 of the payload as the file records it (unsigned: a checksum). */
  readonly payloadSha256: string;
  readonly signatures: readonly BundleSignature[];
}

const FIELDS = new Set(['format', 'payloadSha256', 'signatures', 'payload']);
const SIGNATURE_FIELDS = new Set(['keyId', 'sig']);
const SHA256_HEX = /^[0-9a-f]{64}$/;

function malformed(message: string, pointer?: string): WeirError {
  return new WeirError('WEIR_ERR_BUNDLE_MALFORMED', pointer === undefined ? message : `${pointer}: ${message}`, pointer === undefined ? {} : { pointer });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Lowercase hex sha256 of `bytes`. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Parse a bundle file. Every field is checked for shape (exact field set, known format, canonical
 * base64, 64-byte signatures, distinct well-formed key ids); nothing is verified. Throws
 * WEIR_ERR_BUNDLE_MALFORMED.
 */
export function parseEnvelope(bytes: Uint8Array): BundleEnvelope {
  if (bytes.byteLength > BUNDLE_LIMITS.maxBundleBytes) throw malformed(`the file is ${bytes.byteLength} bytes, more than the ${BUNDLE_LIMITS.maxBundleBytes} a bundle may have`);
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw malformed('not valid UTF-8');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw malformed(`not JSON (${(err as Error).message})`);
  }
  if (!isObject(value)) throw malformed('a bundle is a JSON object');
  for (const key of Object.keys(value)) if (!FIELDS.has(key)) throw malformed(`unknown field "${key}"`, `/${key}`);
  if (value['format'] !== BUNDLE_FORMAT) {
    const got = typeof value['format'] === 'string' ? `"${value['format']}"` : 'none';
    throw malformed(`unsupported format ${got}; this version reads "${BUNDLE_FORMAT}"`, '/format');
  }
  const payloadText = value['payload'];
  const payload = typeof payloadText === 'string' && payloadText !== '' ? decodeBase64(payloadText) : null;
  if (payload === null) throw malformed('must be the payload bytes in canonical base64', '/payload');
  const payloadSha256 = value['payloadSha256'];
  if (typeof payloadSha256 !== 'string' || !SHA256_HEX.test(payloadSha256)) throw malformed('must be 64 lowercase hex digits', '/payloadSha256');
  return { payload, payloadSha256, signatures: parseSignatures(value['signatures']) };
}

function parseSignatures(value: unknown): BundleSignature[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > BUNDLE_LIMITS.maxSignatures) {
    throw malformed(`must be an array of 1 to ${BUNDLE_LIMITS.maxSignatures} signatures`, '/signatures');
  }
  const seen = new Set<string>();
  return value.map((entry: unknown, index) => {
    const at = `/signatures/${index}`;
    if (!isObject(entry)) throw malformed('must be an object {"keyId","sig"}', at);
    for (const key of Object.keys(entry)) if (!SIGNATURE_FIELDS.has(key)) throw malformed(`unknown field "${key}"`, `${at}/${key}`);
    const keyId = entry['keyId'];
    if (typeof keyId !== 'string' || !KEY_ID_PATTERN.test(keyId)) throw malformed('must be a key id (1-64 letters, digits, ".", "_" or "-")', `${at}/keyId`);
    if (seen.has(keyId)) throw malformed(`key id "${keyId}" signs twice`, `${at}/keyId`);
    seen.add(keyId);
    const sigText = entry['sig'];
    const sig = typeof sigText === 'string' ? decodeBase64(sigText, ED25519.signatureBytes) : null;
    if (sig === null) throw malformed(`must be a ${ED25519.signatureBytes}-byte ed25519 signature in canonical base64`, `${at}/sig`);
    return { keyId, sig };
  });
}

/**
 * The bundle file for `payload` and its signatures: pretty JSON (two spaces) with the fields in
 * the order format, payloadSha256, signatures, payload (so `head` shows the short ones), and a
 * final newline. The file's own bytes are not signed; only the payload's are.
 */
export function encodeEnvelope(payload: Uint8Array, signatures: readonly BundleSignature[]): Buffer {
  const document = {
    format: BUNDLE_FORMAT,
    payloadSha256: sha256Hex(payload),
    signatures: signatures.map((s) => ({ keyId: s.keyId, sig: encodeBase64(s.sig) })),
    payload: encodeBase64(payload),
  };
  return Buffer.from(`${JSON.stringify(document, null, 2)}\n`, 'utf8');
}
