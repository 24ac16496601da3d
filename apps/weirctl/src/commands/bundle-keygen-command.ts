import * as fs from 'node:fs';
import * as path from 'node:path';
import { encodeBase64, encodePrivateKeyFile, encodePublicKeyFile, generateSigningKey, KEY_ID_PATTERN, publicKeyOf } from '@weir/bundle';
import { writeNewFile } from '../bundle-files';
import { CliError, usageError } from '../cli-error';
import { ExitCode } from '../exit-codes';
import type { Command } from './command';

/**
 * `weirctl bundle keygen --key-id ID --out DIR`: a new ed25519 key pair for signing bundles.
 * Writes `DIR/ID.key` (the private seed, mode 0600) and `DIR/ID.pub` (mode 0644), creating DIR
 * (mode 0700) when missing, and never overwrites an existing key (exit 2).
 */
export const bundleKeygenCommand: Command = {
  name: 'bundle keygen',
  flags: { 'key-id': 'string', out: 'string' },
  run({ line, out }) {
    line.expectPositionals(0, '');
    const keyId = line.string('key-id');
    const dir = line.string('out');
    if (keyId === undefined || dir === undefined) throw usageError('bundle keygen needs --key-id ID and --out DIR');
    if (!KEY_ID_PATTERN.test(keyId)) throw usageError(`--key-id must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit; got "${keyId}"`);
    const keyFile = path.join(dir, `${keyId}.key`);
    const pubFile = path.join(dir, `${keyId}.pub`);
    try {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch (err) {
      throw new CliError('WEIRCTL_ERR_FILE', ExitCode.USAGE, `${dir}: cannot create the directory: ${(err as Error).message}`);
    }
    for (const file of [keyFile, pubFile]) {
      if (fs.existsSync(file)) throw new CliError('WEIRCTL_ERR_FILE', ExitCode.USAGE, `${file}: already exists; not overwriting a key`);
    }
    const key = generateSigningKey(keyId);
    const publicKey = publicKeyOf(key);
    writeNewFile(keyFile, encodePrivateKeyFile(key), 0o600);
    writeNewFile(pubFile, encodePublicKeyFile(publicKey), 0o644);
    out.print(`wrote ${keyFile} (private: keep it secret) and ${pubFile}`);
    out.document({ keyId, privateKeyFile: keyFile, publicKeyFile: pubFile, publicKey: encodeBase64(publicKey.publicKey) });
    return ExitCode.OK;
  },
};
