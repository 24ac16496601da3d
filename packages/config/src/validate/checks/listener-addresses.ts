import { isIP } from 'node:net';
import { jsonPointer } from '../json-pointer';
import type { WeirConfig } from '../../types/index';
import { canonicalIp } from './canonical-ip';
import { configDefaults } from './defaults';
import type { Report } from './semantic-check';

interface Bind {
  readonly index: number;
  readonly name: string;
  readonly ip: string;
  readonly family: number;
  readonly port: number;
}

/**
 * A listener's `address` is an IP literal (Weir binds, it does not resolve names), and no two
 * listeners claim the same port on overlapping addresses. Overlap follows what Linux refuses
 * with EADDRINUSE: the same address; `0.0.0.0` and any IPv4 address; `::` and anything, because
 * Node listens on `::` dual-stack. Port 0 is exempt (each bind picks its own free port).
 */
export function checkListenerAddresses(config: WeirConfig, report: Report): void {
  const binds: Bind[] = [];
  for (const [i, listener] of config.listeners.entries()) {
    const address = listener.address ?? configDefaults.listenerAddress;
    const family = isIP(address);
    if (family === 0) {
      const hint = address.startsWith('[') ? ' (write IPv6 without brackets, e.g. "::1")' : '';
      report(jsonPointer('listeners', i, 'address'), `"${address}" is not an IP address; a listener binds an IPv4 or IPv6 literal${hint}`);
      continue;
    }
    if (listener.port === 0) continue;
    const bind: Bind = { index: i, name: listener.name, ip: canonicalIp(address), family, port: listener.port };
    const clash = binds.find((other) => overlaps(other, bind));
    if (clash !== undefined) {
      report(
        jsonPointer('listeners', i, 'port'),
        `listener "${bind.name}" (${display(bind)}) conflicts with listener "${clash.name}" (${display(clash)}) at ${jsonPointer('listeners', clash.index)}`,
      );
    }
    binds.push(bind);
  }
}

function overlaps(a: Bind, b: Bind): boolean {
  if (a.port !== b.port) return false;
  if (a.ip === b.ip || a.ip === '::' || b.ip === '::') return true;
  return a.family === 4 && b.family === 4 && (a.ip === '0.0.0.0' || b.ip === '0.0.0.0');
}

function display(bind: Bind): string {
  return bind.family === 6 ? `[${bind.ip}]:${bind.port}` : `${bind.ip}:${bind.port}`;
}
