import { SocketAddress, isIP } from 'node:net';

/**
 * The DNS-rebinding guard: a request is answered only when its `Host` header names the admin
 * API itself. A web page on `evil.example` that re-points its name at 127.0.0.1 makes the
 * browser send `Host: evil.example`, which is refused with 421 before authentication.
 *
 * Accepted host names (port ignored, case-insensitive, a trailing dot dropped): `localhost`,
 * `127.0.0.1`, `[::1]`, the listen address, the address the connection actually arrived on when
 * listening on `0.0.0.0` or `::`, and `admin.allowedHosts`. The port is not compared because a
 * tunnel (`ssh -L 8000:localhost:9901`) legitimately changes it, and a rebinding attack is about
 * the name. A request without `Host` is refused (HTTP/1.1 requires it).
 */
export class HostGuard {
  private readonly allowed: ReadonlySet<string>;
  private readonly wildcard: boolean;

  /**
   * @param listenAddress the IP literal the API binds
   * @param allowedHosts the config's `admin.allowedHosts`
   */
  constructor(listenAddress: string, allowedHosts: readonly string[]) {
    const allowed = new Set<string>(['localhost', '127.0.0.1', '[::1]']);
    allowed.add(literalHost(listenAddress));
    for (let i = 0; i < allowedHosts.length; i++) allowed.add(normaliseHost(allowedHosts[i] as string));
    this.allowed = allowed;
    this.wildcard = listenAddress === '0.0.0.0' || listenAddress === '::';
  }

  /**
   * @param host the request's `Host` header
   * @param localAddress the connection's local address (`socket.localAddress`)
   */
  allows(host: string | undefined, localAddress: string | undefined): boolean {
    if (host === undefined || host === '') return false;
    const name = normaliseHost(stripPort(host));
    if (this.allowed.has(name)) return true;
    if (!this.wildcard || localAddress === undefined) return false;
    const local = localAddress.startsWith('::ffff:') && isIP(localAddress.slice(7)) === 4 ? localAddress.slice(7) : localAddress;
    return name === literalHost(local);
  }
}

/** `host:port`, `[v6]:port`, `host` or `[v6]` -> the host part. */
function stripPort(host: string): string {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end === -1 ? host : host.slice(0, end + 1);
  }
  const colon = host.indexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}

/** Lower case, no trailing dot, IPv6 in brackets and canonical form. */
function normaliseHost(host: string): string {
  let name = host.toLowerCase();
  if (name.endsWith('.')) name = name.slice(0, -1);
  if (name.startsWith('[') && name.endsWith(']')) {
    const inner = name.slice(1, -1);
    return isIP(inner) === 6 ? literalHost(inner) : name;
  }
  return name;
}

/** How an IP literal appears in a Host header: IPv6 bracketed and canonical, IPv4 as is. */
function literalHost(address: string): string {
  if (isIP(address) !== 6) return address.toLowerCase();
  return `[${new SocketAddress({ address, family: 'ipv6' }).address}]`;
}
