import { isIPv4, isIPv6 } from 'node:net';
import { AddressSet } from '@weir/plugins';
import type { Spec } from '@weir/runtime';

/** The spec's `clientAddress` (config `clientAddress`, issue 9). */
type ClientAddressSpec = Spec['clientAddress'];

/**
 * Resolves the client address of a request behind trusted proxies (config `clientAddress`,
 * issue 9): what rate-limit keys, `ipFilter` and the access log see.
 *
 * Only hops appended by trusted proxies are believed. The walk goes right to left (newest hop
 * first) from the TCP peer, the way nginx's `real_ip_recursive on` and Envoy's
 * `xff_num_trusted_hops` read the header:
 *
 * ```
 * client-sent (forgeable)   appended by trusted proxies      TCP peer
 * X-Forwarded-For: 6.6.6.6, 203.0.113.7, 10.0.0.2         <- 10.0.0.1
 *                           ^ first untrusted hop = client   (trusted)
 * ```
 *
 * - No trusted proxies, or an untrusted peer: the peer is the client, the header is not read
 *   (whatever a client sends is ignored).
 * - Every hop trusted: the leftmost hop.
 * - A hop that is not an IP literal (`unknown`, an obfuscated `_id`, garbage) ends the walk: the
 *   last address that was checked (trusted) is the answer, so the result is always an IP
 *   literal and never something a client wrote past a hop it could not forge.
 *
 * Ports are stripped (`1.2.3.4:5678`, `[::1]:80`), and IPv4-mapped IPv6 (`::ffff:1.2.3.4`, what a
 * dual-stack listener reports for IPv4 peers) is given as the IPv4 address, peer included.
 */
export class ClientAddressResolver {
  private readonly trusted: AddressSet;
  private readonly forwarded: boolean;

  constructor(spec: ClientAddressSpec) {
    this.trusted = AddressSet.of(spec.trustedProxies);
    this.forwarded = spec.header === 'forwarded';
  }

  /**
   * The client address of a request from `peer` (the socket's remote address) with node's flat
   * `rawHeaders` (`[name, value, name, value, ...]`, names in any case). Allocates nothing
   * unless the peer is a trusted proxy (or an IPv4-mapped address); behind a trusted proxy, one
   * string per X-Forwarded-For hop examined (usually one or two).
   */
  resolve(peer: string, rawHeaders: readonly string[]): string {
    const address = unmapIPv4(peer);
    if (this.trusted.empty || !this.trusted.has(address)) return address;
    return this.forwarded ? this.walkForwarded(address, rawHeaders) : this.walkXff(address, rawHeaders);
  }

  /**
   * X-Forwarded-For: lines from last to first, each from its last entry to its first (the same
   * order as walking the lines joined with `,`, RFC 9110 section 5.3, without joining them).
   */
  private walkXff(peer: string, rawHeaders: readonly string[]): string {
    let answer = peer;
    for (let h = rawHeaders.length - 2; h >= 0; h -= 2) {
      if (!sameName(rawHeaders[h] as string, 'x-forwarded-for')) continue;
      const line = rawHeaders[h + 1] as string;
      let end = line.length;
      for (let i = end - 1; i >= -1; i--) {
        if (i !== -1 && line.charCodeAt(i) !== 0x2c) continue;
        const hop = xffHop(line, i + 1, end);
        if (hop === null) return answer;
        answer = hop;
        if (!this.trusted.has(hop)) return hop;
        end = i;
      }
    }
    return answer;
  }

  /** Forwarded (RFC 7239): the `for=` of each element of every line, walked right to left. */
  private walkForwarded(peer: string, rawHeaders: readonly string[]): string {
    const hops: string[] = [];
    for (let h = 0; h + 1 < rawHeaders.length; h += 2) {
      if (sameName(rawHeaders[h] as string, 'forwarded')) forwardedHops(rawHeaders[h + 1] as string, hops);
    }
    let answer = peer;
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = forwardedNode(hops[i] as string);
      if (hop === null) return answer;
      answer = hop;
      if (!this.trusted.has(hop)) return hop;
    }
    return answer;
  }
}

/** `name` equals the lower-case `lower`, ignoring ASCII case. */
function sameName(name: string, lower: string): boolean {
  if (name.length !== lower.length) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if ((c >= 0x41 && c <= 0x5a ? c | 0x20 : c) !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/** `::ffff:1.2.3.4` (any case) as `1.2.3.4`; anything else as it is (no allocation). */
function unmapIPv4(address: string): string {
  if (address.length < 14 || address.charCodeAt(0) !== 0x3a || address.charCodeAt(1) !== 0x3a) return address;
  for (let i = 2; i < 6; i++) if ((address.charCodeAt(i) | 0x20) !== 0x66) return address;
  if (address.charCodeAt(6) !== 0x3a) return address;
  const v4 = address.slice(7);
  return isIPv4(v4) ? v4 : address;
}

/**
 * The address of the X-Forwarded-For entry `line[start, end)`, trimmed, without its port, or
 * null: `1.2.3.4`, `1.2.3.4:80`, `2001:db8::1`, `[2001:db8::1]`, `[2001:db8::1]:80`. An empty
 * entry and a zone id (`%eth0`, meaningless beyond the proxy's host) count as invalid.
 */
function xffHop(line: string, start: number, end: number): string | null {
  while (start < end && isSpace(line.charCodeAt(start))) start++;
  while (end > start && isSpace(line.charCodeAt(end - 1))) end--;
  if (start === end) return null;
  const entry = line.slice(start, end);
  let address: string | null;
  if (entry.charCodeAt(0) === 0x5b) {
    address = bracketed(entry, isPort);
  } else {
    const colon = entry.indexOf(':');
    if (colon !== -1 && colon === entry.lastIndexOf(':')) {
      const host = entry.slice(0, colon);
      address = isIPv4(host) && isPort(entry.slice(colon + 1)) ? host : null;
    } else {
      address = isIPv4(entry) || (isIPv6(entry) && entry.indexOf('%') === -1) ? entry : null;
    }
  }
  return address === null ? null : unmapIPv4(address);
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/** `[ipv6]` or `[ipv6]:port` (port as `validPort` accepts it): the IPv6 literal, else null. */
function bracketed(node: string, validPort: (port: string) => boolean): string | null {
  const close = node.indexOf(']');
  if (close === -1) return null;
  if (close + 1 !== node.length && !(node.charCodeAt(close + 1) === 0x3a && validPort(node.slice(close + 2)))) return null;
  const inner = node.slice(1, close);
  return isIPv6(inner) && inner.indexOf('%') === -1 ? inner : null;
}

function isPort(s: string): boolean {
  if (s.length === 0 || s.length > 5) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return Number(s) <= 65535;
}

/**
 * Appends the `for=` value of each element of one `Forwarded` line (RFC 7239 section 4) to
 * `hops`, in order. An element without exactly one `for`, or with an unterminated quoted
 * string, gives `''` (an invalid hop). Commas and semicolons inside quoted strings do not split.
 */
function forwardedHops(line: string, hops: string[]): void {
  let start = 0;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (quoted) {
      if (c === 0x5c) i++;
      else if (c === 0x22) quoted = false;
    } else if (c === 0x22) {
      quoted = true;
    } else if (c === 0x2c) {
      hops.push(elementFor(line, start, i));
      start = i + 1;
    }
  }
  hops.push(quoted ? '' : elementFor(line, start, line.length));
}

/** The `for` value of the element `line[start, end)` (quotes balanced), or `''`. */
function elementFor(line: string, start: number, end: number): string {
  let found: string | null = null;
  let pairStart = start;
  let quoted = false;
  for (let i = start; i <= end; i++) {
    const c = i === end ? 0x3b : line.charCodeAt(i);
    if (quoted) {
      if (c === 0x5c) i++;
      else if (c === 0x22) quoted = false;
    } else if (c === 0x22) {
      quoted = true;
    } else if (c === 0x3b) {
      const value = forPair(line, pairStart, i);
      if (value !== null) {
        if (found !== null) return '';
        found = value;
      }
      pairStart = i + 1;
    }
  }
  return found ?? '';
}

/** The value of `line[start, end)` when it is a `for=` pair (quotes and escapes removed), else null. */
function forPair(line: string, start: number, end: number): string | null {
  const eq = line.indexOf('=', start);
  if (eq === -1 || eq >= end) return null;
  if (line.slice(start, eq).trim().toLowerCase() !== 'for') return null;
  const value = line.slice(eq + 1, end).trim();
  if (value.charCodeAt(0) !== 0x22) return value;
  // Quotes are balanced here (forwardedHops checked), so a lone `"` cannot reach this line.
  if (value.charCodeAt(value.length - 1) !== 0x22) return '';
  const inner = value.slice(1, -1);
  return inner.indexOf('\\') === -1 ? inner : inner.replace(/\\(.)/g, '$1');
}

/**
 * The IP literal of a `Forwarded` node (RFC 7239 section 6): `192.0.2.43`, `192.0.2.43:47011`,
 * `[2001:db8:cafe::17]`, `[2001:db8:cafe::17]:4711`, an obfuscated port allowed (`:_port`).
 * `unknown`, obfuscated identifiers (`_hidden`) and anything else: null.
 */
function forwardedNode(node: string): string | null {
  let address: string | null;
  if (node.charCodeAt(0) === 0x5b) {
    address = bracketed(node, isNodePort);
  } else {
    const colon = node.indexOf(':');
    if (colon === -1) {
      address = isIPv4(node) ? node : null;
    } else if (colon === node.lastIndexOf(':')) {
      const host = node.slice(0, colon);
      address = isIPv4(host) && isNodePort(node.slice(colon + 1)) ? host : null;
    } else {
      // Not RFC 7239 (IPv6 must be bracketed), but an unambiguous IPv6 literal without a port.
      address = isIPv6(node) && node.indexOf('%') === -1 ? node : null;
    }
  }
  return address === null ? null : unmapIPv4(address);
}

/** RFC 7239 node-port: a port number, or an obfuscated `_` followed by ALPHA / DIGIT / `.` `_` `-`. */
function isNodePort(s: string): boolean {
  return isPort(s) || /^_[A-Za-z0-9._-]+$/.test(s);
}
