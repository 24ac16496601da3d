import type { X509Certificate } from 'node:crypto';
import type { LeafFacts } from './tls-material';

/** A DNS name or a `*.` wildcard, as SNI can match it (the schema's `serverName`, lower case). */
const DNS_NAME = /^(?:\*\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * The facts `buildSpec` needs from a certificate's leaf: its DNS subjectAltNames, lower-cased
 * (IP and other SANs are skipped: SNI carries names only), or, when it has none, its common
 * name if that is a DNS name (RFC 6125 leaves CN to legacy certificates; a CN such as "My
 * Server" is no name at all). A certificate with neither answers only as a listener's default
 * certificate, which is fine, so it is not reported. `notAfter` in milliseconds since the epoch.
 */
export function leafFacts(leaf: X509Certificate): LeafFacts {
  const dnsNames: string[] = [];
  for (const entry of splitAltNames(leaf.subjectAltName ?? '')) {
    if (!entry.startsWith('DNS:')) continue;
    const name = entry.slice(4).toLowerCase();
    if (DNS_NAME.test(name) && !dnsNames.includes(name)) dnsNames.push(name);
  }
  if (dnsNames.length === 0) {
    const cn = commonName(leaf.subject);
    if (cn !== null && DNS_NAME.test(cn)) dnsNames.push(cn);
  }
  return { dnsNames, notAfter: Date.parse(leaf.validTo) };
}

/** `DNS:a, DNS:"b,c", IP Address:1.2.3.4` -> entries (Node quotes values with commas). */
function splitAltNames(text: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '"') quoted = !quoted;
    if (c === ',' && !quoted) {
      out.push(current.trim());
      current = '';
    } else {
      current += c;
    }
  }
  if (current.trim() !== '') out.push(current.trim());
  return out;
}

/** The subject's CN, lower-cased, or null (`subject` is one `KEY=value` per line). */
function commonName(subject: string): string | null {
  for (const line of subject.split('\n')) {
    if (line.startsWith('CN=')) return line.slice(3).trim().toLowerCase();
  }
  return null;
}
