import { isIPv4, isIPv6 } from 'node:net';

/** An endpoint address split into host and port; `host` has no brackets. */
export type HostPort =
  | { readonly ok: true; readonly host: string; readonly port: number; readonly kind: 'ipv4' | 'ipv6' | 'dns' }
  | { readonly ok: false; readonly reason: string };

/** A DNS label: letters, digits, `_` and `-`, not starting or ending with `-`, 1-63 characters. */
const LABEL = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;
const MAX_DNS_NAME = 253;

/**
 * Parses an endpoint address `host:port`: an IPv4 address (`127.0.0.1:8080`), a bracketed IPv6
 * address (`[::1]:8080`) or a DNS name (`api.internal:8080`), with a decimal port 1-65535.
 * The reason of a failure is a phrase for an operator ("port must be ...").
 */
export function parseHostPort(address: string): HostPort {
  let host: string;
  let portText: string;
  if (address.includes('://')) return fail('write host:port, without a scheme such as "http://"');
  if (address.startsWith('[')) {
    const close = address.indexOf(']');
    if (close === -1) return fail('missing "]" after the IPv6 address');
    host = address.slice(1, close);
    if (!isIPv6(host)) return fail(`"${host}" is not an IPv6 address`);
    if (address.charAt(close + 1) !== ':') return fail('missing ":port" after "]"');
    portText = address.slice(close + 2);
  } else {
    const colon = address.lastIndexOf(':');
    if (colon === -1) return fail('missing ":port"');
    host = address.slice(0, colon);
    portText = address.slice(colon + 1);
    if (host.includes(':')) return fail('write an IPv6 address in brackets, e.g. "[::1]:8080"');
    if (host === '') return fail('missing host before ":"');
  }
  const port = parsePort(portText);
  if (port === undefined) return fail(`port "${portText}" must be an integer from 1 to 65535`);
  if (address.startsWith('[')) return { ok: true, host, port, kind: 'ipv6' };
  if (isIPv4(host)) return { ok: true, host, port, kind: 'ipv4' };
  const reason = dnsNameProblem(host);
  if (reason !== undefined) return fail(reason);
  return { ok: true, host, port, kind: 'dns' };
}

function parsePort(text: string): number | undefined {
  if (!/^[1-9][0-9]{0,4}$/.test(text)) return undefined;
  const port = Number(text);
  return port <= 65535 ? port : undefined;
}

function dnsNameProblem(host: string): string | undefined {
  const labels = host.split('.');
  // A name whose last label is numeric is a mistyped IPv4 address (RFC 3696 section 2).
  if (/^[0-9]+$/.test(labels[labels.length - 1] as string)) return `"${host}" is not a valid IPv4 address`;
  if (host.length > MAX_DNS_NAME) return `host name is longer than ${MAX_DNS_NAME} characters`;
  for (const label of labels) {
    if (!LABEL.test(label)) return `"${host}" is not a valid host name (labels are 1-63 letters, digits, "_" or "-")`;
  }
  return undefined;
}

function fail(reason: string): HostPort {
  return { ok: false, reason };
}
