import { isIPv6 } from 'node:net';
import { jsonPointer } from '../json-pointer';
import type { WeirConfig } from '../../types/index';
import type { Report } from './semantic-check';

/**
 * Host patterns beyond what the schema's pattern says (names, `*.` only as a whole leading
 * label): hosts compare case-insensitively, so a route listing `Example.com` and `example.com`
 * lists one host twice; and a bracketed host is a valid IPv6 address.
 */
export function checkRouteHosts(config: WeirConfig, report: Report): void {
  for (const [i, route] of config.routes.entries()) {
    const hosts = route.match?.hosts ?? [];
    const firstIndex = new Map<string, number>();
    for (const [j, host] of hosts.entries()) {
      const at = jsonPointer('routes', i, 'match', 'hosts', j);
      if (host.startsWith('[') && !isIPv6(host.slice(1, -1))) {
        report(at, `"${host}" is not a valid bracketed IPv6 address`);
        continue;
      }
      const key = host.toLowerCase();
      const first = firstIndex.get(key);
      if (first === undefined) firstIndex.set(key, j);
      else report(at, `host "${host}" is already listed at ${jsonPointer('routes', i, 'match', 'hosts', first)} (hosts are case-insensitive)`);
    }
  }
}
