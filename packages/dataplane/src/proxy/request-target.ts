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

/** An absolute-form request target split into the authority and the origin-form target. */
export interface AbsoluteTarget {
  /** The authority (`host[:port]`); it replaces the `Host` header (RFC 9112 section 3.2.2). */
  readonly host: string;
  /** Origin-form target sent upstream: path and query, `/` when the URI has no path. */
  readonly target: string;
}

/**
 * Parses an absolute-form target (`http://example.com/a?b`), which a server must accept
 * (RFC 9112 section 3.2.2) though only proxies' clients send it. Returns null for anything else
 * (`*`, authority-form), which the proxy answers with 400. Off the hot path: origin-form targets
 * (starting with `/`) never get here.
 */
export function parseAbsoluteTarget(url: string): AbsoluteTarget | null {
  const m = /^https?:\/\/([^/?#]+)([^#]*)/i.exec(url);
  if (m === null) return null;
  const host = m[1] as string;
  const rest = m[2] as string;
  return { host, target: rest.length === 0 ? '/' : rest.charCodeAt(0) === 0x2f ? rest : `/${rest}` };
}
