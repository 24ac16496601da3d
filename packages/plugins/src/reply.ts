import { catalogue, type ErrorCode } from '@weir/errors';
import type { PluginReply } from './plugin';

/**
 * A reply made once, when a plugin is built, and shared by every request it refuses: replies are
 * frozen, so the request phase returns a constant instead of allocating. `status` is the
 * catalogue's (the exchange uses the catalogue anyway); the body is the catalogue's JSON, so no
 * credential ever reaches an error body.
 */
export function errorReply(code: ErrorCode, headers: readonly string[] = []): PluginReply {
  return Object.freeze({ status: catalogue[code].status, headers: Object.freeze(headers.slice()), body: '', code });
}

/** A reply of the plugin's own (redirect, CORS preflight): `status`, `headers`, no body. */
export function plainReply(status: number, headers: readonly string[]): PluginReply {
  return Object.freeze({ status, headers: Object.freeze(headers.slice()), body: '', code: null });
}

/** A quoted-string (RFC 9110 section 5.6.4) for a header parameter such as `realm`. */
export function quotedString(value: string): string {
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}
