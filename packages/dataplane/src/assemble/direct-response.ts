import type { DirectActionSpec } from '@weir/runtime';
import type { DirectResponse } from './worker-runtime';

/**
 * Encodes a direct-response action once: the body as a UTF-8 Buffer and a flat header list with
 * the spec's headers in config order plus `content-length` computed from the body (a
 * `content-length` in the spec is replaced, since only the body's real length can frame it).
 * The hot path writes both as they are.
 */
export function buildDirectResponse(action: DirectActionSpec): DirectResponse {
  const body = Buffer.from(action.body, 'utf8');
  const headers: string[] = [];
  for (let i = 0; i < action.headers.length; i++) {
    const [name, value] = action.headers[i] as readonly [string, string];
    if (name === 'content-length') continue;
    headers.push(name, value);
  }
  headers.push('content-length', String(body.length));
  return Object.freeze({ status: action.status, headers: Object.freeze(headers), body });
}
