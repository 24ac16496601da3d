import type { WeirError } from '@weir/errors';
import type { WeirConfig } from '../types/index';

/**
 * The outcome of validating a config. Validation never throws for a bad config: callers (admin
 * API, file provider, puller, CLI) all need the full list of problems, not the first one.
 *
 * On failure `error.code` is `WEIR_ERR_CONFIG_PARSE` (not JSON) or `WEIR_ERR_CONFIG_INVALID`
 * (schema or semantic problems, each in `error.details` as `{ pointer, message }`).
 * On success `config` is the very value passed in, typed; defaults are *not* filled in (that is
 * `buildSpec`'s job).
 */
export type ConfigCheck =
  | { readonly ok: true; readonly config: WeirConfig }
  | { readonly ok: false; readonly error: WeirError };
