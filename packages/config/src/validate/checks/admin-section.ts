import { isIP } from 'node:net';
import { jsonPointer } from '../json-pointer';
import type { WeirConfig } from '../../types/index';
import { canonicalIp } from './canonical-ip';
import { configDefaults } from './defaults';
import type { Report } from './semantic-check';

/**
 * The `admin` section: its listen address is an IP literal (Weir binds, it does not resolve),
 * it does not claim the port of a proxy listener on an overlapping address (the primary would
 * fail to bind, or worse, split the port with the workers), and token names are unique (a name
 * is the principal in the audit log, so two tokens must not share one).
 */
export function checkAdminSection(config: WeirConfig, report: Report): void {
  const admin = config.admin;
  if (admin === undefined) return;
  const names = new Map<string, number>();
  const tokens = admin.tokens ?? [];
  for (let i = 0; i < tokens.length; i++) {
    const name = (tokens[i] as { readonly name: string }).name;
    const first = names.get(name);
    if (first === undefined) names.set(name, i);
    else report(jsonPointer('admin', 'tokens', i, 'name'), `duplicate admin token name "${name}" (first used at ${jsonPointer('admin', 'tokens', first)})`);
  }
  if (admin.enabled === false) return;
  const address = admin.listen?.address ?? configDefaults.adminAddress;
  const family = isIP(address);
  if (family === 0) {
    const hint = address.startsWith('[') ? ' (write IPv6 without brackets, e.g. "::1")' : '';
    report(jsonPointer('admin', 'listen', 'address'), `"${address}" is not an IP address; the admin API binds an IPv4 or IPv6 literal${hint}`);
    return;
  }
  const port = admin.listen?.port ?? configDefaults.adminPort;
  if (port === 0) return;
  const ip = canonicalIp(address);
  for (let i = 0; i < config.listeners.length; i++) {
    const listener = config.listeners[i] as WeirConfig['listeners'][number];
    if (listener.port !== port) continue;
    const other = listener.address ?? configDefaults.listenerAddress;
    const otherFamily = isIP(other);
    if (otherFamily === 0) continue;
    const otherIp = canonicalIp(other);
    const clash = ip === otherIp || ip === '::' || otherIp === '::' || (family === 4 && otherFamily === 4 && (ip === '0.0.0.0' || otherIp === '0.0.0.0'));
    if (clash) {
      report(jsonPointer('admin', 'listen', 'port'), `the admin API (port ${port}) conflicts with listener "${listener.name}" at ${jsonPointer('listeners', i)}`);
      return;
    }
  }
}
