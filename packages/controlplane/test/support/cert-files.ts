import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeCertificates, type CertificateRequest } from '../../../../tools/certs/make-certs';

/** Certificate and key files made by openssl in a temporary directory, removed by `remove()`. */
export interface CertFiles {
  readonly dir: string;
  /** By request name, plus `ca`: absolute paths of the certificate and its key. */
  readonly files: Record<string, { readonly cert: string; readonly key: string }>;
  /** Writes `text` to a new file in the directory and returns its path. */
  write(name: string, text: string): string;
  remove(): void;
}

/** Makes a private CA and the requested certificates (openssl, ~60 ms) in a fresh temp dir. */
export function makeCertFiles(requests: readonly CertificateRequest[]): CertFiles {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weir-certs-'));
  const files = makeCertificates(dir, requests);
  return {
    dir,
    files,
    write(name: string, text: string): string {
      const file = path.join(dir, name);
      fs.writeFileSync(file, text);
      return file;
    },
    remove(): void {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
