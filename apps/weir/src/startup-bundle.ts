import { checkHeldBundle, type PulledBundle, type ReadKeyFile } from '@weir/controlplane';
import type { WeirConfig } from '@weir/config';
import type { WeirError } from '@weir/errors';
import type { StartupFrom } from './startup-config';

/** Result of {@link bundleAtStart}. */
export type BundleAtStart =
  /** Serve the kept bundle's config (the start-up config's `pull` section spliced in). */
  | { readonly serve: true; readonly config: Record<string, unknown>; readonly revision: number }
  /** Keep the start-up choice; `error` says why a kept bundle was passed over (null: none applied). */
  | { readonly serve: false; readonly error: WeirError | null };

/**
 * The bundle row of the start-up rule (operations.md, "Which config Weir starts with"): when
 * the start-up rule chose the config *file* (edited while Weir was down, or no committed version)
 * and that file has a `pull` section, the file is a bootstrap: the bundle kept in the state
 * directory is served instead of the file's other sections, provided it verifies under the
 * file's `pull` keys now (not expired, config valid). So a host whose source is down at start
 * serves its last verified bundle rather than the bootstrap config. A version from the state
 * directory is the last writer and is served as is (it is the bundle's config when the bundle
 * was the last applied). Not with `pull.mode: "rollout"`: a kept bundle may be a rollout that was
 * aborted.
 */
export function bundleAtStart(
  from: StartupFrom,
  config: WeirConfig,
  held: PulledBundle | null,
  options: { readonly now: number; readonly readKeyFile?: ReadKeyFile },
): BundleAtStart {
  // With mode "rollout" a kept bundle went through a rollout that may have been aborted: it is
  // never served directly.
  if (from !== 'file' || config.pull === undefined || config.pull.mode === 'rollout' || held === null) return { serve: false, error: null };
  const check = checkHeldBundle(held, config.pull, options);
  if (!check.ok) return { serve: false, error: check.error };
  return { serve: true, config: check.config, revision: check.revision };
}
