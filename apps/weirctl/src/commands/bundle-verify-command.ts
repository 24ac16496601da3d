import { BundleVerifier } from '@weir/bundle';
import { validateConfig } from '@weir/config';
import { readFileBytes, readTrustedKey } from '../bundle-files';
import { metadataLines } from '../bundle-view';
import { CliError, usageError } from '../cli-error';
import { ExitCode, exitCodeForBundleRejection } from '../exit-codes';
import type { Command } from './command';

/** The verifier for the `--pub` files and `--threshold`; a trust setting @weir/bundle refuses is exit 2. */
function verifierFor(pubFiles: readonly string[], threshold: number | undefined): BundleVerifier {
  const keys = pubFiles.map(readTrustedKey);
  try {
    return new BundleVerifier({ keys, ...(threshold === undefined ? {} : { threshold }) });
  } catch (err) {
    throw new CliError('WEIR_ERR_BUNDLE_KEY_INVALID', ExitCode.USAGE, (err as Error).message);
  }
}

/**
 * `weirctl bundle verify --pub FILE [--pub FILE ...] [--threshold K] [--current-revision N]
 * BUNDLE`: every check a host makes before it applies a bundle, offline: the signatures against
 * the trusted public keys (K of them, default 1), the expiry against this machine's clock, the
 * revision against `--current-revision`, and the config against the daemon's validation. Exit 0
 * for a good bundle; otherwise the reason's code and exit 9 (exit 1 when only the config is
 * invalid).
 */
export const bundleVerifyCommand: Command = {
  name: 'bundle verify',
  flags: { pub: 'strings', threshold: 'string', 'current-revision': 'string' },
  run({ line, out, now }) {
    const [file] = line.expectPositionals(1, 'BUNDLE') as [string];
    const pubFiles = line.strings('pub');
    if (pubFiles.length === 0) throw usageError('bundle verify needs at least one --pub FILE');
    const threshold = line.number('threshold', 1, pubFiles.length, true);
    const currentRevision = line.number('current-revision', 0, Number.MAX_SAFE_INTEGER, true);
    const verifier = verifierFor(pubFiles, threshold);
    const check = verifier.verify(readFileBytes(file), {
      now: now(),
      ...(currentRevision === undefined ? {} : { currentRevision }),
      validateConfig,
    });
    if (!check.ok) {
      const { error } = check;
      out.error({ code: error.code, message: `${file}: ${error.message}`, ...(error.details === undefined ? {} : { details: error.details }) });
      return exitCodeForBundleRejection(error.code);
    }
    const { bundle } = check;
    out.print(`${file}: ok, signed by ${bundle.signedBy.join(', ')}`, ...metadataLines(bundle.metadata));
    for (const ignored of bundle.ignoredSignatures) {
      out.note(`note: the signature by "${ignored.keyId}" did not count (${ignored.reason === 'unknown-key' ? 'not a trusted key id' : 'it does not verify'})`);
    }
    out.document({ valid: true, file, ...bundle.metadata, payloadSha256: bundle.payloadSha256, signedBy: bundle.signedBy, ignoredSignatures: bundle.ignoredSignatures });
    return ExitCode.OK;
  },
};
