import { isIPv4, isIPv6 } from 'node:net';
import { canonicalIp } from './canonical-ip';

/** A parsed CIDR (`10.0.0.0/8`, `2001:db8::/32`; a bare address is a /32 or /128). */
export type Cidr =
  | { readonly ok: true; readonly canonical: string; readonly family: 4 | 6; readonly prefix: number }
  | { readonly ok: false; readonly reason: string };

/**
 * Parses a CIDR the way the data plane will read it (the schema only checks its characters):
 * the address is an IPv4 or IPv6 literal without a zone, the prefix length is 0-32 or 0-128,
 * and no bit below the prefix is set. `10.0.0.1/8` is refused rather than silently read as
 * `10.0.0.0/8`: an operator who wrote it more likely meant `10.0.0.1/32` (nginx warns about the
 * same thing, "low address bits are meaningless"). `canonical` is the form the build writes
 * (IPv6 compressed, lower case), so two spellings of one network compare equal.
 */
export function parseCidr(text: string): Cidr {
  const slash = text.indexOf('/');
  const address = slash === -1 ? text : text.slice(0, slash);
  if (address.includes('%')) return fail(`"${address}" has a zone id: write the address without "%..."`);
  const family = isIPv4(address) ? 4 : isIPv6(address) ? 6 : 0;
  if (family === 0) return fail(`"${address}" is not an IPv4 or IPv6 address`);
  const max = family === 4 ? 32 : 128;
  let prefix = max;
  if (slash !== -1) {
    const bits = text.slice(slash + 1);
    if (!/^(?:0|[1-9][0-9]{0,2})$/.test(bits) || Number(bits) > max) return fail(`prefix length "/${bits}" must be 0 to ${max}`);
    prefix = Number(bits);
  }
  const ip = canonicalIp(address);
  const bytes = family === 4 ? ipv4Bytes(ip) : ipv6Bytes(ip);
  if (hasHostBits(bytes, prefix)) {
    return fail(`bits are set below the /${prefix} prefix: write the network address (${networkText(bytes, prefix, family)}/${prefix}) or a longer prefix`);
  }
  return { ok: true, canonical: `${ip}/${prefix}`, family, prefix };
}

function fail(reason: string): Cidr {
  return { ok: false, reason };
}

function ipv4Bytes(ip: string): number[] {
  return ip.split('.').map(Number);
}

/** The 16 bytes of a canonical IPv6 address (`::` expanded, an IPv4 tail split in bytes). */
function ipv6Bytes(ip: string): number[] {
  let text = ip;
  const tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    tail.push(...ipv4Bytes(text.slice(lastColon + 1)));
    text = text.slice(0, lastColon + 1) + '0:0';
  }
  const [head = '', rest] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = rest === undefined || rest === '' ? [] : rest.split(':');
  const groups = [...left, ...new Array<string>(8 - left.length - right.length).fill('0'), ...right];
  const bytes: number[] = [];
  for (const group of groups) {
    const value = parseInt(group, 16);
    bytes.push(value >> 8, value & 0xff);
  }
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}

function hasHostBits(bytes: readonly number[], prefix: number): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    const mask = keep === 0 ? 0 : (0xff << (8 - keep)) & 0xff;
    if (((bytes[i] as number) & ~mask & 0xff) !== 0) return true;
  }
  return false;
}

function networkText(bytes: readonly number[], prefix: number, family: 4 | 6): string {
  const masked = bytes.map((byte, i) => {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    return keep === 0 ? 0 : byte & ((0xff << (8 - keep)) & 0xff);
  });
  if (family === 4) return masked.join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((masked[i] as number) << 8) | (masked[i + 1] as number)).toString(16));
  return canonicalIp(groups.join(':'));
}
