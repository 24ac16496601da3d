import { parsePayload, parseTimestamp, signBundle } from '@weir/bundle';
import { parseConfig } from '@weir/config';
import { isWeirError, toErrorJSON } from '@weir/errors';
import { readSigningKey, writeFileAtomic } from '../bundle-files';
import { usageError } from '../cli-error';
import { readConfigText } from '../config-file';
import { parseDuration } from '../duration';
import { ExitCode } from '../exit-codes';
import type { Command } from './command';

/** `--expires`: an RFC 3339 UTC time, or a duration from now (`72h`, `30m`). */
function expiresAt(text: string | undefined, now: number): number | undefined {
  if (text === undefined) return undefined;
  const at = parseTimestamp(text);
  if (at !== null) return at;
  const ms = parseDuration(text);
  if (ms === null || ms <= 0) throw usageError(`--expires must be a UTC time such as 2027-01-01T00:00:00Z or a duration such as 720h; got "${text}"`);
  return now + ms;
}

/** `--label k=v`, repeatable. */
function labels(values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const value of values) {
    const eq = value.indexOf('=');
    if (eq <= 0) throw usageError(`--label must be KEY=VALUE; got "${value}"`);
    const key = value.slice(0, eq);
    if (key in out) throw usageError(`--label ${key} is given twice`);
    out[key] = value.slice(eq + 1);
  }
  return out;
}

/**
 * `weirctl bundle sign --key FILE [--key FILE ...] --revision N [--expires T] [--label K=V ...]
 * CONFIG_FILE --out BUNDLE`: validate the config offline (as `validate` does; invalid is exit 1)
 * and write it as a bundle signed by every key, created now. Several keys sign for a threshold,
 * or during a key rotation.
 */
export const bundleSignCommand: Command = {
  name: 'bundle sign',
  flags: { key: 'strings', revision: 'string', expires: 'string', label: 'strings', out: 'string' },
  run({ line, out, now }) {
    const [file] = line.expectPositionals(1, 'CONFIG_FILE') as [string];
    const keyFiles = line.strings('key');
    const target = line.string('out');
    const revision = line.number('revision', 1, Number.MAX_SAFE_INTEGER, true);
    if (keyFiles.length === 0 || revision === undefined || target === undefined) throw usageError('bundle sign needs --key FILE, --revision N and --out BUNDLE');
    const createdAt = now();
    const expires = expiresAt(line.string('expires'), createdAt);
    const labelValues = labels(line.strings('label'));
    const keys = keyFiles.map(readSigningKey);

    const result = parseConfig(readConfigText(file));
    if (!result.ok) {
      const json = toErrorJSON(result.error);
      out.error({ code: json.code, message: `${file}: ${json.message}`, ...(json.details === undefined ? {} : { details: json.details }) });
      return ExitCode.INVALID_CONFIG;
    }
    let signed;
    try {
      signed = signBundle({ config: result.config, revision, createdAt, expiresAt: expires ?? null, labels: labelValues }, keys);
    } catch (err) {
      // Contents the format refuses (an expiry not after now, a bad label) or a repeated key id.
      if (isWeirError(err)) throw usageError(err.message);
      throw err;
    }
    writeFileAtomic(target, signed.bytes);
    const signedBy = signed.signatures.map((s) => s.keyId);
    out.print(`signed ${target}: revision ${revision}, payload sha256 ${signed.payloadSha256}, by ${signedBy.join(', ')}`);
    out.document({ file: target, ...parsePayload(signed.payload).metadata, payloadSha256: signed.payloadSha256, signedBy });
    return ExitCode.OK;
  },
};
