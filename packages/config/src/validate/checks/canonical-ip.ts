import { SocketAddress, isIPv6 } from 'node:net';

/**
 * The canonical text of an IP literal, so that equal addresses compare equal: IPv6 is
 * compressed and lower-cased (`0:0::1` and `::1`), a zone id (`%eth0`) is kept; IPv4 is
 * returned as is (node's isIPv4 already rejects leading zeros).
 */
export function canonicalIp(ip: string): string {
  if (!isIPv6(ip)) return ip;
  const zoneAt = ip.indexOf('%');
  const address = zoneAt === -1 ? ip : ip.slice(0, zoneAt);
  const zone = zoneAt === -1 ? '' : ip.slice(zoneAt);
  return new SocketAddress({ address, family: 'ipv6' }).address + zone;
}
