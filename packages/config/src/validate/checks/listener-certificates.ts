import { closestName } from '../closest-name';
import { jsonPointer } from '../json-pointer';
import type { WeirConfig } from '../../types/index';
import type { Report } from './semantic-check';
import { serverNameClashes, serverNameClashMessage } from './server-name-clashes';

/** "Did you mean" hints for the first few unknown names only (see route-references.ts). */
const MAX_HINTS = 20;

/**
 * What a TLS listener's certificates refer to holds together:
 *
 * - each name in `tls.certificates` is a top-level certificate (with a "did you mean" hint);
 *   the schema already refuses a name listed twice;
 * - `tls.defaultCertificate` is one of the listener's `tls.certificates`;
 * - no two of the listener's certificates claim the same server name through their explicit
 *   `serverNames`. Names read from the certificates' subjectAltNames are compared by
 *   `loadTlsMaterial`, which reads the files.
 */
export function checkListenerCertificates(config: WeirConfig, report: Report): void {
  const certificates = new Map((config.certificates ?? []).map((c) => [c.name, c]));
  let hintsLeft = MAX_HINTS;
  for (const [i, listener] of config.listeners.entries()) {
    const tls = listener.tls;
    if (tls === undefined) continue;
    for (const [j, name] of tls.certificates.entries()) {
      if (certificates.has(name)) continue;
      const suggestion = hintsLeft-- > 0 ? closestName(name, certificates.keys()) : undefined;
      const hint = suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
      const none = certificates.size === 0 ? '; define it in the top-level "certificates"' : '';
      report(jsonPointer('listeners', i, 'tls', 'certificates', j), `unknown certificate "${name}"${hint}${none}`);
    }
    const fallback = tls.defaultCertificate;
    if (fallback !== undefined && !tls.certificates.includes(fallback)) {
      report(
        jsonPointer('listeners', i, 'tls', 'defaultCertificate'),
        `"${fallback}" is not one of this listener's certificates (${tls.certificates.map((n) => `"${n}"`).join(', ')}); add it to "certificates"`,
      );
    }
    const clashes = serverNameClashes(tls.certificates, (name) => {
      const names = certificates.get(name)?.serverNames;
      return names === undefined ? undefined : { names, explicit: true };
    });
    for (const clash of clashes) {
      report(
        jsonPointer('listeners', i, 'tls', 'certificates', clash.index),
        serverNameClashMessage(clash, jsonPointer('listeners', i, 'tls', 'certificates', clash.firstIndex), 'both list it in "serverNames"'),
      );
    }
  }
}
