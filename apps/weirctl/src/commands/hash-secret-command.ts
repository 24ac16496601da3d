import { createHash, randomBytes, scryptSync } from 'node:crypto';
import * as fs from 'node:fs';
import { CliError, usageError } from '../cli-error';
import { ExitCode } from '../exit-codes';
import type { Command } from './command';

/**
 * scrypt cost of the hashes written here: N = 2^14, r = 8, p = 1 (about 16 MiB and 50 ms per
 * check; RFC 7914 section 2's interactive-login figure, and what @weir/plugins' basicAuth
 * accepts up to ln=20, r=32, p=16).
 */
export const SCRYPT_LN = 14;
export const SCRYPT_R = 8;
export const SCRYPT_P = 1;
const SALT_BYTES = 16;
const HASH_BYTES = 32;

/** Base64 without padding, as the PHC string format writes salts and hashes. */
function phcBase64(bytes: Buffer): string {
  return bytes.toString('base64').replace(/=+$/, '');
}

/** `$scrypt$ln=14,r=8,p=1$<salt>$<hash>`: a basicAuth `passwordHash` for `secret`. */
export function scryptPasswordHash(secret: Buffer): string {
  const salt = randomBytes(SALT_BYTES);
  const N = 2 ** SCRYPT_LN;
  const hash = scryptSync(secret, salt, HASH_BYTES, { N, r: SCRYPT_R, p: SCRYPT_P, maxmem: 128 * N * SCRYPT_R + 1024 * 1024 });
  return `$scrypt$ln=${SCRYPT_LN},r=${SCRYPT_R},p=${SCRYPT_P}$${phcBase64(salt)}$${phcBase64(hash)}`;
}

/** The secret in `file` (`-` = standard input), without one trailing line ending. */
function readSecret(file: string): Buffer {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file === '-' ? 0 : file);
  } catch (err) {
    throw new CliError('WEIRCTL_ERR_FILE', ExitCode.USAGE, `${file === '-' ? 'standard input' : file}: cannot read: ${(err as Error).message}`);
  }
  let end = bytes.length;
  if (end > 0 && bytes[end - 1] === 0x0a) end--;
  if (end > 0 && bytes[end - 1] === 0x0d) end--;
  if (end === 0) throw new CliError('WEIRCTL_ERR_FILE', ExitCode.USAGE, `${file === '-' ? 'standard input' : file}: the secret is empty`);
  return bytes.subarray(0, end);
}

/**
 * `weirctl hash-secret [--sha256] [--secret-file FILE | --generate]`, offline: hashes a secret
 * for the config, so the config never holds it in clear.
 *
 * - Default: a scrypt PHC string for a `basicAuth` user's `passwordHash`.
 * - `--sha256`: the lower-case hex SHA-256 digest for an `apiKey` key's `sha256`.
 * - The secret comes from `--secret-file FILE` (`-`, the default, is standard input), one
 *   trailing newline removed; never from the command line, where shell history and `ps` would
 *   keep it. The hash goes to stdout.
 * - `--generate`: makes a new random secret (32 bytes, base64url) instead, prints it on stdout
 *   (shown only now) and its hash on stderr, as `token create` does.
 * - `--json`: `{"hash"}`, or `{"secret","hash"}` with `--generate`, on stdout.
 */
export const hashSecretCommand: Command = {
  name: 'hash-secret',
  flags: { sha256: 'boolean', 'secret-file': 'string', generate: 'boolean' },
  run({ line, out }) {
    line.expectPositionals(0, '');
    const file = line.string('secret-file');
    const generate = line.boolean('generate');
    if (generate && file !== undefined) throw usageError('hash-secret takes --secret-file or --generate, not both');
    const generated = generate ? randomBytes(32).toString('base64url') : null;
    const secret = generated === null ? readSecret(file ?? '-') : Buffer.from(generated, 'utf8');
    const hash = line.boolean('sha256') ? createHash('sha256').update(secret).digest('hex') : scryptPasswordHash(secret);
    if (generated === null) {
      out.document({ hash });
      out.print(hash);
    } else {
      out.document({ secret: generated, hash });
      out.print(generated);
      if (!out.json) out.note(hash);
    }
    return ExitCode.OK;
  },
};
