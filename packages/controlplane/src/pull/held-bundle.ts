import { BundleVerifier } from '@weir/bundle';
import type { PullConfig } from '@weir/config';
import { isWeirError, WeirError } from '@weir/errors';
import { bundleConfigValidator, withHostPull } from './bundle-config';
import type { PulledBundle } from './pulled-bundle-file';
import { pullTrust, type ReadKeyFile } from './pull-trust';

/** A kept bundle that may be served: its config (with the host's `pull`) and revision. */
export type HeldBundleCheck =
  | { readonly ok: true; readonly config: Record<string, unknown>; readonly revision: number }
  | { readonly ok: false; readonly error: WeirError };

/**
 * Verify the bundle kept in the state directory again, before serving it at start (when the
 * source may be down): under the trust of the `pull` section Weir starts with (keys may have
 * been rotated while it was down), at `now` (it may have expired), with the same config checks
 * as any bundle. The revision is not checked: it is the one the host ran.
 */
export function checkHeldBundle(held: PulledBundle, section: PullConfig, options: { readonly now: number; readonly readKeyFile?: ReadKeyFile }): HeldBundleCheck {
  let verifier: BundleVerifier;
  try {
    verifier = new BundleVerifier(pullTrust(section, options.readKeyFile));
  } catch (err) {
    return { ok: false, error: isWeirError(err) ? err : new WeirError('WEIR_ERR_BUNDLE_KEY_INVALID', String(err)) };
  }
  const check = verifier.verify(held.bytes, { now: options.now, currentRevision: null, validateConfig: bundleConfigValidator(section) });
  if (!check.ok) return { ok: false, error: check.error };
  return { ok: true, config: withHostPull(check.bundle.config, section), revision: check.bundle.metadata.revision };
}
