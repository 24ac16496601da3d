import { jsonPointer } from '../json-pointer';
import type { WeirConfig } from '../../types/index';
import type { Report } from './semantic-check';

/**
 * Listener, route, upstream and certificate names are unique within their section (names are
 * case-sensitive).
 * The first use wins; every later use is reported at its `name`.
 */
export function checkUniqueNames(config: WeirConfig, report: Report): void {
  checkSection('listeners', 'listener', config.listeners, report);
  checkSection('routes', 'route', config.routes, report);
  checkSection('upstreams', 'upstream', config.upstreams ?? [], report);
  checkSection('certificates', 'certificate', config.certificates ?? [], report);
}

function checkSection(section: string, noun: string, items: readonly { readonly name: string }[], report: Report): void {
  const firstIndex = new Map<string, number>();
  for (const [i, { name }] of items.entries()) {
    const first = firstIndex.get(name);
    if (first === undefined) firstIndex.set(name, i);
    else report(jsonPointer(section, i, 'name'), `duplicate ${noun} name "${name}" (first used at ${jsonPointer(section, first)})`);
  }
}
