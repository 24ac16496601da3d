import { jsonPointer } from '../json-pointer';
import type { WeirConfig } from '../../types/index';
import { parseCidr } from './cidr';
import type { Report } from './semantic-check';

/**
 * `clientAddress.trustedProxies` holds CIDRs that parse (see parseCidr) and names each network
 * once: a duplicate, even spelled differently (`::1` and `0::1/128`), only hides a copy-paste
 * mistake.
 */
export function checkClientAddress(config: WeirConfig, report: Report): void {
  checkCidrList(config.clientAddress?.trustedProxies, ['clientAddress', 'trustedProxies'], report);
}

/** Each CIDR of a list parses and appears once; shared with the `ipFilter` plugin's lists. */
export function checkCidrList(cidrs: readonly string[] | undefined, at: readonly (string | number)[], report: Report): void {
  if (cidrs === undefined) return;
  const first = new Map<string, number>();
  for (let i = 0; i < cidrs.length; i++) {
    const text = cidrs[i] as string;
    const cidr = parseCidr(text);
    if (!cidr.ok) {
      report(jsonPointer(...at, i), `invalid CIDR "${text}": ${cidr.reason}`);
      continue;
    }
    const seen = first.get(cidr.canonical);
    if (seen === undefined) first.set(cidr.canonical, i);
    else report(jsonPointer(...at, i), `"${text}" is already listed at ${jsonPointer(...at, seen)}`);
  }
}
