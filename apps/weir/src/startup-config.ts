import { invalidConfigError, loadTlsMaterial, validateConfig, type ConfigCheck, type WeirConfig } from '@weir/config';
import type { ConfigFileMark, ConfigSource, StateLoad, StoredVersion } from '@weir/controlplane';
import type { WeirError } from '@weir/errors';

/**
 * Validates a config and checks the certificate files it names (`loadTlsMaterial`): what every
 * apply will check, so a candidate that would be refused at the first apply is passed over here
 * like an invalid one (a config file whose certificate is missing falls back to the last
 * committed version). The material itself is read again by the apply.
 */
export function checkStartupConfig(value: unknown): ConfigCheck {
  const check = validateConfig(value);
  if (!check.ok) return check;
  const loaded = loadTlsMaterial(check.config);
  return loaded.problems.length > 0 ? { ok: false, error: invalidConfigError(loaded.problems) } : check;
}

/** The config file as read at start: valid (with its content hash), or why not. */
export type FileAtStart =
  | { readonly ok: true; readonly config: WeirConfig; readonly hash: string }
  /** Unreadable (`hash` null), not JSON, or invalid. */
  | { readonly ok: false; readonly error: WeirError; readonly hash: string | null };

/** Where the first config comes from (the `from` field of the `config source` log line). */
export type StartupFrom = 'state' | 'file' | 'default';

/** A candidate that was passed over, to be logged as `config rejected`. */
export interface PassedOver {
  readonly source: ConfigSource;
  readonly error: WeirError;
}

/** Result of {@link chooseStartupConfig}. */
export type StartupChoice =
  | {
      readonly ok: true;
      readonly from: StartupFrom;
      readonly config: WeirConfig;
      /** The state version served (`from: 'state'`): applied under its stored version id. */
      readonly stored: StoredVersion | null;
      /** The file applied (`from: 'file'`), recorded with the new version. */
      readonly file: ConfigFileMark | null;
      /** Why, in words, for the log. */
      readonly reason: string;
      readonly passedOver: readonly PassedOver[];
    }
  | { readonly ok: false; readonly reason: string; readonly passedOver: readonly PassedOver[] };

/** What {@link chooseStartupConfig} decides from. */
export interface StartupInputs {
  /** Absolute path given with `--config`, or null. */
  readonly path: string | null;
  /** The file as read (null without `--config`). */
  readonly file: FileAtStart | null;
  readonly state: StateLoad;
  /** The embedded default config. */
  readonly defaultConfig: unknown;
}

/**
 * The start-up rule (apps/weir/docs/operations.md, "Which config Weir starts with"):
 *
 *     --config  file at start                          state        serves        from
 *     no        -                                      empty        default       default
 *     no        -                                      version V    V             state
 *     yes       valid, not the file last applied       any          the file      file
 *     yes       valid, the file last applied           version V    V             state
 *     yes       unreadable or invalid                  version V    V             state
 *     yes       unreadable or invalid                  empty        nothing: exit 1
 *
 * "The file last applied" is the newest version's file mark: same path and same sha256 of the
 * bytes. So a file edited while Weir was down wins (the operator changed it since), while an
 * untouched file does not undo changes made through the admin API before the restart. A state
 * version that no longer validates (after an upgrade that tightened a rule) is passed over for
 * the file when there is a valid one, else start-up fails: serving the embedded default instead
 * of a production config would be worse than not starting. "Invalid" includes the certificate
 * files a config names (`checkStartupConfig`): unreadable, mismatched or expired.
 */
export function chooseStartupConfig(inputs: StartupInputs): StartupChoice {
  const passedOver: PassedOver[] = [];
  const { file, state, path } = inputs;
  let stored: { readonly version: StoredVersion; readonly config: WeirConfig } | null = null;
  if (state.current !== null) {
    const check = checkStartupConfig(state.current.config);
    if (check.ok) stored = { version: state.current, config: check.config };
    else passedOver.push({ source: 'state', error: check.error });
  }

  if (file !== null && path !== null) {
    if (file.ok) {
      const mark: ConfigFileMark = { path, hash: file.hash };
      const last = state.lastFile;
      const same = last !== null && last.path === mark.path && last.hash === mark.hash;
      if (stored !== null && same) {
        return {
          ok: true,
          from: 'state',
          config: stored.config,
          stored: stored.version,
          file: null,
          reason: 'the config file is unchanged since it was last applied; the last committed version wins',
          passedOver,
        };
      }
      const reason =
        stored === null
          ? state.current === null
            ? 'no committed version in the state directory'
            : 'the committed version in the state directory is invalid'
          : last === null
            ? 'no config file was applied before'
            : last.path !== mark.path
              ? 'another config file was applied before'
              : 'the config file changed since it was last applied';
      return { ok: true, from: 'file', config: file.config, stored: null, file: mark, reason, passedOver };
    }
    passedOver.push({ source: 'file', error: file.error });
    if (stored !== null) {
      return {
        ok: true,
        from: 'state',
        config: stored.config,
        stored: stored.version,
        file: null,
        reason: 'the config file cannot be used; serving the last committed version',
        passedOver,
      };
    }
    return { ok: false, reason: 'the config file cannot be used and the state directory holds no usable version', passedOver };
  }

  if (stored !== null) {
    return { ok: true, from: 'state', config: stored.config, stored: stored.version, file: null, reason: 'the last committed version', passedOver };
  }
  if (state.current !== null) {
    return { ok: false, reason: 'the last committed version is invalid; start with --config FILE', passedOver };
  }
  const check = checkStartupConfig(inputs.defaultConfig);
  if (!check.ok) return { ok: false, reason: 'the embedded default config is invalid', passedOver: [...passedOver, { source: 'default', error: check.error }] };
  return { ok: true, from: 'default', config: check.config, stored: null, file: null, reason: 'no --config and an empty state directory', passedOver };
}
