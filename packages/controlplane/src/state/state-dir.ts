import { homedir } from 'node:os';
import * as path from 'node:path';

/** What {@link resolveStateDir} reads from the process. Tests pass their own. */
export interface StateDirEnvironment {
  /** Environment variables (`STATE_DIRECTORY`, `XDG_STATE_HOME`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Effective user id; null where the platform has none (Windows). */
  readonly uid: number | null;
  /** The user's home directory. */
  readonly home: string;
  /** Directory a relative `configured` path is resolved against. */
  readonly cwd: string;
}

/** Which rule chose the directory; logged at start so an operator sees why. */
export type StateDirOrigin = 'configured' | 'systemd' | 'root' | 'user';

/** Result of {@link resolveStateDir}. */
export interface ResolvedStateDir {
  /** Absolute path. */
  readonly dir: string;
  readonly origin: StateDirOrigin;
}

/** This process's {@link StateDirEnvironment}. */
export function processStateDirEnvironment(): StateDirEnvironment {
  return { env: process.env, uid: typeof process.geteuid === 'function' ? process.geteuid() : null, home: homedir(), cwd: process.cwd() };
}

/**
 * The state directory to use. First match wins:
 *
 * 1. `configured` (`--state-dir DIR`, else the config file's `state.dir`), resolved against
 *    the current directory: the operator said so.
 * 2. `$STATE_DIRECTORY`, which systemd sets to the absolute path of the unit's
 *    `StateDirectory=` (`/var/lib/weir` in deploy/systemd/weir.service). When the unit lists
 *    several, systemd joins them with `:`; the first is Weir's.
 * 3. `/var/lib/weir` when running as root (the FHS place for a daemon's state).
 * 4. `$XDG_STATE_HOME/weir`, or `~/.local/state/weir` when that is unset or not absolute (the
 *    XDG Base Directory rule for state that "should persist between application restarts").
 *    Not the current directory: a local `npm start` must not litter a checkout, and the state
 *    must not depend on where the command was typed.
 *
 * Pure: it looks at `env` only; whether the directory can be created is `StateStore.open`'s
 * business (it fails with WEIR_ERR_STATE_IO, naming the path and this rule's origin).
 */
export function resolveStateDir(configured: string | null | undefined, env: StateDirEnvironment = processStateDirEnvironment()): ResolvedStateDir {
  if (configured !== null && configured !== undefined && configured !== '') {
    return { dir: path.resolve(env.cwd, configured), origin: 'configured' };
  }
  const systemd = (env.env['STATE_DIRECTORY'] ?? '').split(':')[0] ?? '';
  if (systemd !== '' && path.isAbsolute(systemd)) return { dir: path.normalize(systemd), origin: 'systemd' };
  if (env.uid === 0) return { dir: '/var/lib/weir', origin: 'root' };
  const xdg = env.env['XDG_STATE_HOME'] ?? '';
  const base = xdg !== '' && path.isAbsolute(xdg) ? xdg : path.join(env.home, '.local', 'state');
  return { dir: path.join(base, 'weir'), origin: 'user' };
}
