import { invalidConfigError, loadTlsMaterial, validateConfig, type PullConfig, type WeirConfig } from '@weir/config';
import type { ConfigValidator } from '@weir/bundle';

/**
 * A bundle's config as this host applies it: the same object with the host's own `pull` section
 * in place of the bundle's (config.md, "pull": the section is host-local, so a bundle can neither
 * retarget nor stop the puller, nor change the keys that verify the next bundle). Nothing is
 * re-serialised: the other fields are the values parsed from the signed bytes.
 */
export function withHostPull(config: Readonly<Record<string, unknown>>, pull: PullConfig): Record<string, unknown> {
  return { ...config, pull };
}

/**
 * The config check the verifier runs on a correctly signed bundle: the host's `pull` section
 * spliced in, then `validateConfig` and the certificate files (`loadTlsMaterial`), as every
 * apply checks (apply/config-to-spec.ts). So a bundle whose config would be refused by the apply
 * is rejected as WEIR_ERR_BUNDLE_CONFIG_INVALID, with every problem and its JSON pointer.
 */
export function bundleConfigValidator(pull: PullConfig): ConfigValidator {
  return (config) => {
    if (typeof config !== 'object' || config === null || Array.isArray(config)) return validateConfig(config);
    const check = validateConfig(withHostPull(config as Record<string, unknown>, pull));
    if (!check.ok) return check;
    const loaded = loadTlsMaterial(check.config as WeirConfig);
    return loaded.problems.length > 0 ? { ok: false, error: invalidConfigError(loaded.problems) } : { ok: true };
  };
}
