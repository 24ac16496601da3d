import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpsRedirectSpec } from '@weir/runtime';
import type { AnyResponse } from './request-head';

/**
 * Answers a plain-HTTP request with a redirect to the same host and target over HTTPS (nginx's
 * `return 308 https://$host$request_uri`): `Location: https://<host>[:port]<target>`, the port
 * left out when it is 443. The host is the request's `Host` without its port; a request without
 * one (HTTP/1.0) cannot be redirected and gets `fallback()` (the caller's 400). Status 308 by
 * default: unlike 301, it keeps the method and body. The body is empty and the response is not
 * cacheable by default (`cache-control: no-store` is not set: a permanent redirect may be cached,
 * as browsers do with HSTS-like upgrades).
 */
export function sendHttpsRedirect(req: IncomingMessage, res: AnyResponse, redirect: HttpsRedirectSpec, host: string | undefined): boolean {
  if (host === undefined || host === '') return false;
  const name = hostName(host);
  const authority = redirect.port === 443 ? name : `${name}:${redirect.port}`;
  const url = req.url ?? '/';
  const target = url.charCodeAt(0) === 0x2f ? url : '/';
  (res as ServerResponse).writeHead(redirect.status, ['location', `https://${authority}${target}`, 'content-length', '0']);
  res.end();
  return true;
}

/** `Host` without its port; IPv6 literals keep their brackets. */
function hostName(host: string): string {
  if (host.charCodeAt(0) === 0x5b /* [ */) {
    const close = host.indexOf(']');
    return close === -1 ? host : host.slice(0, close + 1);
  }
  const colon = host.indexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}
