import { invalidConfigError, loadTlsMaterial, validateConfig, type LoadTlsMaterialOptions, type WeirConfig } from '@weir/config';
import { buildSpec, type Spec } from '@weir/runtime';

/** Options of {@link configToSpec}. */
export interface ConfigToSpecOptions {
  /** Run `validateConfig` first (the caller has checked the shape limits). Default false. */
  readonly validate?: boolean;
  /** Version id override (see `BuildSpecOptions.version`). */
  readonly version?: string;
  /** How certificate files are read and the clock read (tests). Default: the real ones. */
  readonly files?: LoadTlsMaterialOptions;
}

/**
 * Every step from a config to its spec, shared by the build thread and the inline builder so
 * both refuse exactly the same configs: `validateConfig` (when asked), then `loadTlsMaterial`
 * (always: the files are read at every build, so a renewed certificate at unchanged paths
 * gives a new spec hash, hence a new version), then `buildSpec`. A config with schema, semantic
 * or certificate problems throws WEIR_ERR_CONFIG_INVALID with every problem of the failing
 * stage in `details`, each with its JSON pointer (certificate problems are looked for only once
 * the config is valid, as they read files the config names).
 */
export function configToSpec(config: unknown, options: ConfigToSpecOptions = {}): { readonly config: WeirConfig; readonly spec: Spec } {
  let valid = config as WeirConfig;
  if (options.validate === true) {
    const check = validateConfig(config);
    if (!check.ok) throw check.error;
    valid = check.config;
  }
  const loaded = loadTlsMaterial(valid, options.files);
  if (loaded.problems.length > 0) throw invalidConfigError(loaded.problems);
  const spec = buildSpec(valid, { tls: loaded.material, ...(options.version === undefined ? {} : { version: options.version }) });
  return { config: valid, spec };
}
