import { BlockList, isIPv4, isIPv6 } from 'node:net';

/**
 * A set of CIDR ranges (IPv4 and IPv6), matched with node's `net.BlockList`. An IPv4-mapped
 * IPv6 address (`::ffff:10.1.2.3`, what a dual-stack listener reports for IPv4 peers) is
 * matched as the IPv4 address it carries, so `10.0.0.0/8` covers it. Built once per runtime;
 * `has` allocates only for mapped addresses.
 */
export class AddressSet {
  private readonly list: BlockList;
  /** No ranges: `has` is always false without a call into the list. */
  readonly empty: boolean;

  private constructor(list: BlockList, empty: boolean) {
    this.list = list;
    this.empty = empty;
  }

  /**
   * Builds the set from CIDRs (`10.0.0.0/8`, `2001:db8::/32`) or bare addresses (a /32 or
   * /128). Throws on an entry that is neither; validation refuses those first.
   */
  static of(cidrs: readonly string[]): AddressSet {
    const list = new BlockList();
    for (const cidr of cidrs) {
      const slash = cidr.indexOf('/');
      const address = slash === -1 ? cidr : cidr.slice(0, slash);
      const family = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : null;
      if (family === null) throw new Error(`not an IP address or CIDR: ${cidr}`);
      const max = family === 'ipv4' ? 32 : 128;
      const prefix = slash === -1 ? max : Number(cidr.slice(slash + 1));
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) throw new Error(`invalid prefix length: ${cidr}`);
      list.addSubnet(address, prefix, family);
    }
    return new AddressSet(list, cidrs.length === 0);
  }

  /** True when `address` (an IP literal as node reports it) is in one of the ranges. */
  has(address: string): boolean {
    if (this.empty || address === '') return false;
    if (address.indexOf(':') === -1) return this.list.check(address, 'ipv4');
    if (address.length > 7 && address.charCodeAt(0) === 0x3a && address.startsWith('::ffff:') && address.indexOf('.') !== -1) {
      return this.list.check(address.slice(7), 'ipv4');
    }
    return isIPv6(address) && this.list.check(address, 'ipv6');
  }
}
