import * as fs from 'node:fs';
import * as path from 'node:path';
import { parsePrivateKeyFile, parsePublicKeyFile, type SigningKey, type TrustedKey } from '@weir/bundle';
import { isWeirError } from '@weir/errors';
import { CliError } from './cli-error';
import { ExitCode } from './exit-codes';

/**
 * The files of the `bundle` commands: key files in, bundle files in and out. Unreadable or
 * unwritable files are exit 2 (WEIRCTL_ERR_FILE), a key file `@weir/bundle` refuses is exit 2
 * (WEIR_ERR_BUNDLE_KEY_INVALID).
 */

function fileError(file: string, doing: string, err: unknown): CliError {
  return new CliError('WEIRCTL_ERR_FILE', ExitCode.USAGE, `${file}: cannot ${doing}: ${(err as Error).message}`);
}

/** The bytes of a file named on the command line. */
export function readFileBytes(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw fileError(file, 'read', err);
  }
}

/** Run a key-file parser, turning its WEIR_ERR_BUNDLE_KEY_INVALID into a CliError naming the file. */
export function keyFileCheck<T>(file: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (isWeirError(err) && err.code === 'WEIR_ERR_BUNDLE_KEY_INVALID') {
      throw new CliError('WEIR_ERR_BUNDLE_KEY_INVALID', ExitCode.USAGE, `${file}: ${err.message}`);
    }
    throw err;
  }
}

/** The signing key in a private key file (`ID.key`). */
export function readSigningKey(file: string): SigningKey {
  const text = readFileBytes(file).toString('utf8');
  return keyFileCheck(file, () => parsePrivateKeyFile(text));
}

/** The trusted key in a public key file (`ID.pub`). */
export function readTrustedKey(file: string): TrustedKey {
  const text = readFileBytes(file).toString('utf8');
  return keyFileCheck(file, () => parsePublicKeyFile(text));
}

/** Create `file` with `mode`, refusing to replace an existing one (keys are never overwritten). */
export function writeNewFile(file: string, text: string, mode: number): void {
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx', mode);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new CliError('WEIRCTL_ERR_FILE', ExitCode.USAGE, `${file}: already exists; not overwriting a key`);
    throw fileError(file, 'create', err);
  }
  try {
    // The umask may have taken bits off `mode`; set exactly what was asked for.
    fs.fchmodSync(fd, mode);
    fs.writeFileSync(fd, text);
    fs.fsyncSync(fd);
  } catch (err) {
    throw fileError(file, 'write', err);
  } finally {
    fs.closeSync(fd);
  }
}

/** Write `file` whole or not at all: a temporary file in the same directory, then a rename. */
export function writeFileAtomic(file: string, bytes: Uint8Array): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, bytes, { mode: 0o644 });
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw fileError(file, 'write', err);
  }
}
