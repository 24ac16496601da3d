import { X509Certificate } from 'node:crypto';

/** What {@link pemCertificates} found: the certificates in file order, or why not. */
export type PemCertificates =
  | { readonly ok: true; readonly certificates: readonly X509Certificate[] }
  | { readonly ok: false; readonly message: string };

const BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/**
 * Every `CERTIFICATE` block of a PEM text, parsed (X509Certificate reads only the first block
 * of what it is given, so the blocks are split here). Other blocks (a private key in a combined
 * file, comments) are ignored. No block, or one that does not parse, is a message for an
 * operator; an empty list is never returned as ok.
 */
export function pemCertificates(text: string): PemCertificates {
  const blocks = text.match(BLOCK) ?? [];
  if (blocks.length === 0) {
    const hint = text.includes('PRIVATE KEY-----') ? ' (it holds a private key: is this the key file?)' : '';
    return { ok: false, message: `holds no PEM certificate ("-----BEGIN CERTIFICATE-----")${hint}` };
  }
  const certificates: X509Certificate[] = [];
  for (const [i, block] of blocks.entries()) {
    try {
      certificates.push(new X509Certificate(block));
    } catch (err) {
      const which = blocks.length === 1 ? 'the certificate' : `certificate ${i + 1} of ${blocks.length}`;
      return { ok: false, message: `${which} cannot be parsed: ${reason(err)}` };
    }
  }
  return { ok: true, certificates };
}

/** The useful part of an OpenSSL error: `error:0480006C:PEM routines::no start line` -> `no start line`. */
export function reason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const parts = message.split('::');
  return parts.length > 1 ? (parts[parts.length - 1] as string) : message;
}
