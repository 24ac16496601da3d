import type { ErrorCode } from '@weir/errors';
import { isValidHost, sameAuthority } from './host-syntax';

/**
 * The head check of a request target that is not in origin form (does not start with `/`).
 * llhttp lets through two such forms besides `CONNECT`'s authority form (answered 501
 * elsewhere): the asterisk form and an absolute URI of any scheme (`ftp://a/`, `http://u@a/`,
 * `http:///p`). Returns `WEIR_ERR_BAD_REQUEST` for:
 *
 * - `*` with a method other than `OPTIONS` (RFC 9112 section 3.2.4);
 * - a scheme other than `http` or `https` (any case): Weir only serves those;
 * - an empty authority (`http:///p`: RFC 9110 section 4.2.1, a recipient "MUST reject it as
 *   invalid"), or one that is not a valid `host[:port]` (`isValidHost`), which also refuses
 *   userinfo (`http://user@a/`, RFC 9110 section 4.2.4 asks to treat it as an error);
 * - a `Host` field that names another host or port than the authority. RFC 9112 section 3.2.2
 *   lets a server ignore `Host` then, and the proxy does route on the authority and sends it
 *   upstream as `Host`; but two recipients can disagree on which one wins (a cache or a WAF
 *   in front of Weir keying on `Host`), so a request that says two different things is refused,
 *   as Envoy does. Case and a default or empty port do not count (`sameAuthority`).
 *
 * `host` is the request's one `Host` value, or undefined when it has none (HTTP/1.0; HTTP/1.1
 * without `Host` is refused before this is asked). Off the hot path: origin-form targets never
 * get here.
 */
export function absoluteTargetError(url: string, method: string | undefined, host: string | undefined): ErrorCode | null {
  if (url === '*') return method === 'OPTIONS' ? null : 'WEIR_ERR_BAD_REQUEST';
  const absolute = parseAbsoluteTarget(url);
  if (absolute === null) return 'WEIR_ERR_BAD_REQUEST';
  const authority = absolute.host;
  if (authority.length === 0 || !isValidHost(authority)) return 'WEIR_ERR_BAD_REQUEST';
  if (host === undefined) return null;
  return sameAuthority(authority, host, absolute.secure ? '443' : '80') ? null : 'WEIR_ERR_BAD_REQUEST';
}

/** An absolute-form request target split into the authority and the origin-form target. */
export interface AbsoluteTarget {
  /** The scheme is `https`. */
  readonly secure: boolean;
  /** The authority (`host[:port]`, possibly empty); it replaces the `Host` header (RFC 9112 section 3.2.2). */
  readonly host: string;
  /** Origin-form target sent upstream: path and query, `/` when the URI has no path. */
  readonly target: string;
}

/**
 * Parses an absolute-form target (`http://example.com/a?b`), which a server must accept
 * (RFC 9112 section 3.2.2) though only proxies' clients send it. Returns null for anything else
 * (`*`, authority-form, other schemes). The one parser of absolute targets: the head check above
 * validates what it returns, and routing (`proxy/route-request.ts`) routes on it. Off the hot
 * path: origin-form targets (starting with `/`) never get here.
 */
export function parseAbsoluteTarget(url: string): AbsoluteTarget | null {
  const m = /^(https?):\/\/([^/?#]*)([^#]*)/i.exec(url);
  if (m === null) return null;
  const rest = m[3] as string;
  return {
    secure: (m[1] as string).length === 5,
    host: m[2] as string,
    target: rest.length === 0 ? '/' : rest.charCodeAt(0) === 0x2f ? rest : `/${rest}`,
  };
}
