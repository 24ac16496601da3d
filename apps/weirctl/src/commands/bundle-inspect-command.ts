import { inspectBundle } from '@weir/bundle';
import { readFileBytes } from '../bundle-files';
import { metadataLines } from '../bundle-view';
import { exitCodeForBundleRejection, ExitCode } from '../exit-codes';
import type { Command } from './command';

/** `3 routes, 1 upstream, 2 listeners`: the size of a config at a glance. */
function configSummary(config: Readonly<Record<string, unknown>>): string {
  const count = (key: string, one: string): string => {
    const value = config[key];
    const n = Array.isArray(value) ? value.length : 0;
    return `${n} ${one}${n === 1 ? '' : 's'}`;
  };
  return [count('listeners', 'listener'), count('routes', 'route'), count('upstreams', 'upstream')].join(', ');
}

/**
 * `weirctl bundle inspect BUNDLE`: what a bundle says (revision, times, labels, signing key ids,
 * payload digest and size, config size), read without verifying any signature. A malformed file
 * or a payload that does not match its digest is exit 9. `--json`: the same as one document, with
 * `"verified": false`.
 */
export const bundleInspectCommand: Command = {
  name: 'bundle inspect',
  flags: {},
  run({ line, out }) {
    const [file] = line.expectPositionals(1, 'BUNDLE') as [string];
    const check = inspectBundle(readFileBytes(file));
    if (!check.ok) {
      out.error({ code: check.error.code, message: `${file}: ${check.error.message}` });
      return exitCodeForBundleRejection(check.error.code);
    }
    const { inspection } = check;
    out.print(
      ...metadataLines(inspection.metadata),
      `signatures  ${inspection.signatureKeyIds.join(', ')} (not verified: use weirctl bundle verify)`,
      `payload     ${inspection.payloadBytes} bytes, sha256 ${inspection.payloadSha256}`,
      `config      ${configSummary(inspection.config)}`,
    );
    out.document({
      ...inspection.metadata,
      signatures: inspection.signatureKeyIds.map((keyId) => ({ keyId })),
      payloadSha256: inspection.payloadSha256,
      payloadBytes: inspection.payloadBytes,
      verified: false,
    });
    return ExitCode.OK;
  },
};
