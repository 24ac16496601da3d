import { HOST, requestHeaderKind } from './hop-by-hop';

/**
 * The first `Host` value in Node's raw header list, or undefined. Clients send `Host` first
 * almost always, so this usually stops at index 0 and spares building Node's lazy
 * `req.headers` object just to read one field.
 */
export function findHost(raw: readonly string[]): string | undefined {
  for (let i = 0; i < raw.length; i += 2) {
    if (requestHeaderKind(raw[i] as string) === HOST) return raw[i + 1];
  }
  return undefined;
}
