import { SocketAddress, isIPv6 } from 'node:net';

/**
 * The canonical text of a validated CIDR: IPv6 compressed and lower-cased (`2001:DB8:0::/32` is
 * `2001:db8::/32`), IPv4 as written, and a bare address given its full prefix (`10.0.0.1` is
 * `10.0.0.1/32`, `::1` is `::1/128`). Validation (`@weir/config`, checks/cidr.ts) has already
 * parsed the address and the prefix length and refused host bits below the prefix, so equal
 * networks get equal strings here and the data plane can compare or index them as text.
 */
export function canonicalCidr(cidr: string): string {
  const slash = cidr.indexOf('/');
  const address = slash === -1 ? cidr : cidr.slice(0, slash);
  const v6 = isIPv6(address);
  const prefix = slash === -1 ? (v6 ? 128 : 32) : Number(cidr.slice(slash + 1));
  const text = v6 ? new SocketAddress({ address, family: 'ipv6' }).address : address;
  return `${text}/${prefix}`;
}
