import { jsonPointer } from '../json-pointer';
import type { WeirConfig } from '../../types/index';
import { canonicalIp } from './canonical-ip';
import { parseHostPort } from './host-port';
import type { Report } from './semantic-check';

/**
 * Each endpoint address parses as `host:port` (see parseHostPort), and no upstream lists the
 * same endpoint twice (compared case-insensitively for DNS names and canonically for IPv6, so
 * `[::1]:80` and `[0:0::1]:80` are the same endpoint). A weight expresses "more traffic to this
 * one"; a duplicate only hides a copy-paste mistake.
 */
export function checkUpstreamEndpoints(config: WeirConfig, report: Report): void {
  const upstreams = config.upstreams ?? [];
  for (const [i, { endpoints }] of upstreams.entries()) {
    const firstIndex = new Map<string, number>();
    for (const [j, { address }] of endpoints.entries()) {
      const at = jsonPointer('upstreams', i, 'endpoints', j, 'address');
      const parsed = parseHostPort(address);
      if (!parsed.ok) {
        report(at, `invalid address "${address}": ${parsed.reason}`);
        continue;
      }
      const host = parsed.kind === 'ipv6' ? canonicalIp(parsed.host) : parsed.host.toLowerCase();
      const key = `${host}|${parsed.port}`;
      const first = firstIndex.get(key);
      if (first === undefined) firstIndex.set(key, j);
      else report(at, `endpoint "${address}" is already listed at ${jsonPointer('upstreams', i, 'endpoints', first)}`);
    }
  }
}
