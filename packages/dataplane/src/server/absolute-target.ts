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
  const m = /^(https?):\/\/([^/?#]*)/i.exec(url);
  if (m === null) return 'WEIR_ERR_BAD_REQUEST';
  const authority = m[2] as string;
  if (authority.length === 0 || !isValidHost(authority)) return 'WEIR_ERR_BAD_REQUEST';
  if (host === undefined) return null;
  const defaultPort = (m[1] as string).length === 5 ? '443' : '80';
  return sameAuthority(authority, host, defaultPort) ? null : 'WEIR_ERR_BAD_REQUEST';
}
