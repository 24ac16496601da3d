import { createPrivateKey, type KeyObject, type X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ErrorDetail } from '@weir/errors';
import { jsonPointer, serverNameClashes, serverNameClashMessage } from '../validate/index';
import type { WeirConfig } from '../types/index';
import { leafFacts } from './leaf-facts';
import { opensslSettingProblems } from './openssl-settings';
import { pemCertificates, reason, type PemCertificates } from './pem-certificates';
import { tlsFileReferences, type TlsFileReference } from './tls-file-references';
import type { LeafFacts, TlsMaterial } from './tls-material';

/** Options of {@link loadTlsMaterial}; the defaults read the real files and the real clock. */
export interface LoadTlsMaterialOptions {
  /** Reads a file as UTF-8 text; throws like `fs.readFileSync` (`code` ENOENT, EACCES, ...). */
  readonly readFile?: (path: string) => string;
  /** Milliseconds since the epoch, to tell expired certificates. Default `Date.now`. */
  readonly now?: () => number;
}

/** Result of {@link loadTlsMaterial}: the material, and every problem found (empty when usable). */
export interface TlsMaterialLoad {
  readonly material: TlsMaterial;
  /** `{ pointer, message }` like `validateConfig`'s details; turn them into an error with `invalidConfigError`. */
  readonly problems: readonly ErrorDetail[];
}

/** Larger than any certificate chain or CA bundle (Mozilla's whole bundle is ~220 KB). */
const MAX_FILE_CHARS = 4 * 1024 * 1024;

type FileRead = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly message: string };
type KeyRead = { readonly ok: true; readonly key: KeyObject } | { readonly ok: false; readonly message: string };

/**
 * Reads every file a validated config's TLS settings name (certificates' `certFile` and
 * `keyFile`, listeners' `tls.clientAuth.caFile`, upstreams' `tls` files), each path once, and
 * checks what a worker would otherwise find out too late, each problem at the pointer of the
 * field naming the file:
 *
 * - the file cannot be read (missing, permissions, a directory);
 * - a certificate file holds no PEM certificate, or one that does not parse; a CA file holds no
 *   certificate; a chain starts with a CA certificate (the leaf must come first);
 * - a key file holds no private key that parses (encrypted keys are refused: nobody is there to
 *   type the passphrase), or the key does not belong to the leaf (reported at `keyFile`);
 * - a leaf has expired or is not valid yet (at `certFile`, with the date);
 * - a listener's `ciphers` or `ecdhCurves` that OpenSSL refuses;
 * - two certificates of one listener answering for the same name, where at least one of them
 *   gets its names from its subjectAltNames (explicit `serverNames` clashes are semantic checks).
 *
 * Synchronous and cheap (a few files, microseconds of parsing each): it runs in the build
 * thread right after `validateConfig`. `material.files` holds the text of every file read,
 * keyed by the path as written; `material.leaves` the facts of every certificate whose chain
 * parsed. With problems the material is incomplete and must not be built.
 */
export function loadTlsMaterial(config: WeirConfig, options: LoadTlsMaterialOptions = {}): TlsMaterialLoad {
  const readFile = options.readFile ?? readUtf8;
  const now = (options.now ?? Date.now)();
  const problems: ErrorDetail[] = [];
  const files = new Map<string, string>();
  const leaves = new Map<string, LeafFacts>();
  const reads = new Map<string, FileRead>();
  const chains = new Map<string, PemCertificates>();
  const keys = new Map<string, KeyRead>();

  const read = (path: string): FileRead => {
    let result = reads.get(path);
    if (result === undefined) {
      result = readOnce(path, readFile);
      reads.set(path, result);
      if (result.ok) files.set(path, result.text);
    }
    return result;
  };
  const chainOf = (path: string, text: string): PemCertificates => {
    let result = chains.get(path);
    if (result === undefined) chains.set(path, (result = pemCertificates(text)));
    return result;
  };
  const keyOf = (path: string, text: string): KeyRead => {
    let result = keys.get(path);
    if (result === undefined) keys.set(path, (result = parseKey(text)));
    return result;
  };

  for (const ref of tlsFileReferences(config)) {
    const file = read(ref.path);
    if (!file.ok) {
      problems.push({ pointer: ref.pointer, message: file.message });
      continue;
    }
    if (ref.role === 'key') {
      const key = keyOf(ref.path, file.text);
      if (!key.ok) problems.push({ pointer: ref.pointer, message: key.message });
      else checkKeyMatchesLeaf(ref, key.key, read, chainOf, problems);
      continue;
    }
    const chain = chainOf(ref.path, file.text);
    if (!chain.ok) {
      problems.push({ pointer: ref.pointer, message: ref.role === 'ca' ? chain.message.replace('PEM certificate', 'CA certificate') : chain.message });
      continue;
    }
    if (ref.role === 'ca') continue;
    const leaf = chain.certificates[0] as X509Certificate;
    const trouble = chainProblem(chain.certificates, now);
    if (trouble !== null) problems.push({ pointer: ref.pointer, message: trouble });
    if (ref.certificate !== null) leaves.set(ref.certificate, leafFacts(leaf));
  }

  problems.push(...opensslSettingProblems(config));
  problems.push(...derivedNameClashes(config, leaves));
  return { material: { files, leaves }, problems };
}

function readUtf8(path: string): string {
  return readFileSync(path, 'utf8');
}

function readOnce(path: string, readFile: (path: string) => string): FileRead {
  try {
    const text = readFile(path);
    if (text.length > MAX_FILE_CHARS) return { ok: false, message: `"${path}" is larger than 4 MiB: not a PEM certificate or key` };
    return { ok: true, text };
  } catch (err) {
    return { ok: false, message: `cannot read "${path}": ${readFailure(err)}` };
  }
}

function readFailure(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file (ENOENT)';
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${code}): the Weir primary must be able to read it`;
    case 'EISDIR':
      return 'it is a directory (EISDIR)';
    default:
      return code === undefined ? reason(err) : `${reason(err)} (${code})`;
  }
}

function parseKey(text: string): KeyRead {
  if (!text.includes('PRIVATE KEY-----')) {
    const hint = text.includes('-----BEGIN CERTIFICATE-----') ? ' (it holds a certificate: is this the certificate file?)' : '';
    return { ok: false, message: `holds no PEM private key ("-----BEGIN PRIVATE KEY-----")${hint}` };
  }
  try {
    return { ok: true, key: createPrivateKey({ key: text, format: 'pem' }) };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_MISSING_PASSPHRASE' || text.includes('ENCRYPTED')) {
      return { ok: false, message: 'the private key is encrypted; Weir needs it unencrypted (openssl pkey -in KEY -out KEY.plain), readable only by Weir' };
    }
    return { ok: false, message: `the private key cannot be parsed: ${reason(err)}` };
  }
}

/** Validity of a chain's leaf at `now`, and its order; null when fine. */
function chainProblem(certificates: readonly X509Certificate[], now: number): string | null {
  const leaf = certificates[0] as X509Certificate;
  const notAfter = Date.parse(leaf.validTo);
  const notBefore = Date.parse(leaf.validFrom);
  if (notAfter < now) return `the certificate expired on ${new Date(notAfter).toISOString()} (notAfter): renew it`;
  if (notBefore > now) {
    return `the certificate is not valid before ${new Date(notBefore).toISOString()} (notBefore): check the clock, or apply it after that time`;
  }
  if (leaf.ca && certificates.some((c) => !c.ca)) {
    return 'the file starts with a CA certificate: put the server certificate first, then its intermediates (the order of certbot\'s fullchain.pem)';
  }
  return null;
}

/** A key file's key against the leaf of its paired chain (when both parsed). */
function checkKeyMatchesLeaf(
  ref: TlsFileReference,
  key: KeyObject,
  read: (path: string) => FileRead,
  chainOf: (path: string, text: string) => PemCertificates,
  problems: ErrorDetail[],
): void {
  if (ref.pair === null) return;
  const file = read(ref.pair.path);
  if (!file.ok) return;
  const chain = chainOf(ref.pair.path, file.text);
  if (!chain.ok) return;
  const leaf = chain.certificates[0] as X509Certificate;
  let matches: boolean;
  try {
    matches = leaf.checkPrivateKey(key);
  } catch {
    matches = false;
  }
  if (!matches) {
    problems.push({
      pointer: ref.pointer,
      message: `the private key in "${ref.path}" does not belong to the certificate in "${ref.pair.path}" (${ref.pair.pointer}); pair each certificate with its own key (certbot: fullchain.pem with privkey.pem of the same live/ directory)`,
    });
  }
}

/** Name clashes on each TLS listener where at least one side's names come from its leaf. */
function derivedNameClashes(config: WeirConfig, leaves: ReadonlyMap<string, LeafFacts>): ErrorDetail[] {
  const certificates = new Map((config.certificates ?? []).map((c) => [c.name, c]));
  const problems: ErrorDetail[] = [];
  for (const [i, listener] of config.listeners.entries()) {
    const tls = listener.tls;
    if (tls === undefined) continue;
    const clashes = serverNameClashes(tls.certificates, (name) => {
      const explicit = certificates.get(name)?.serverNames;
      if (explicit !== undefined) return { names: explicit, explicit: true };
      const leaf = leaves.get(name);
      return leaf === undefined ? undefined : { names: leaf.dnsNames, explicit: false };
    });
    for (const clash of clashes) {
      if (clash.explicit) continue;
      problems.push({
        pointer: jsonPointer('listeners', i, 'tls', 'certificates', clash.index),
        message: serverNameClashMessage(clash, jsonPointer('listeners', i, 'tls', 'certificates', clash.firstIndex), 'from "serverNames" or the certificates\' subjectAltNames'),
      });
    }
  }
  return problems;
}
