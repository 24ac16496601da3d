import { signBundle, signingKeyFromSeed, publicKeyOf, type PayloadContents, type SigningKey, type TrustedKey } from '@weir/bundle';

/** A signing key with a fixed seed (32 bytes of `fill`), so tests are reproducible. */
export function testKey(keyId: string, fill: number): SigningKey {
  return signingKeyFromSeed(keyId, Buffer.alloc(32, fill));
}

/** The public halves of `keys`. */
export function trusted(...keys: SigningKey[]): TrustedKey[] {
  return keys.map(publicKeyOf);
}

/** 2026-12-06T17:00:00.000Z: when test bundles are made. */
export const CREATED = Date.parse('2026-12-06T17:00:00.000Z');
export const HOUR = 3_600_000;

/** A small valid Weir config. */
export const CONFIG = {
  listeners: [{ name: 'public', port: 8080 }],
  routes: [{ name: 'hello', directResponse: { status: 200, body: 'hello' } }],
};

/** Bundle contents with a revision, made at CREATED, overridable. */
export function contents(overrides: Partial<PayloadContents> = {}): PayloadContents {
  return { config: CONFIG, revision: 5, createdAt: CREATED, ...overrides };
}

/** The bundle file of `contents()` (with `overrides`) signed by `keys`. */
export function bundleBytes(keys: SigningKey[], overrides: Partial<PayloadContents> = {}): Buffer {
  return signBundle(contents(overrides), keys).bytes;
}

/** A bundle file as a JSON object, to edit and re-encode. */
export function asJson(bytes: Buffer): Record<string, any> {
  return JSON.parse(bytes.toString('utf8')) as Record<string, any>;
}

/** Bytes of a JSON value. */
export function toBytes(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8');
}
