import { parseArgs } from 'node:util';

/** The daemon's command line, parsed. */
export interface CliOptions {
  /** `--config FILE` / `-c FILE`; null = the embedded default config. */
  readonly configPath: string | null;
  /** `--workers N`; overrides the config's `workers`. null = use the config. */
  readonly workers: number | null;
  /** `--check`: validate the config, print the result, exit 0 or 1. */
  readonly check: boolean;
  /** `--state-dir DIR`; overrides the config's `state.dir`. null = the config's, else the default rule. */
  readonly stateDir: string | null;
  /** False with `--no-watch`: the config file is re-read on SIGHUP only. Default true. */
  readonly watch: boolean;
  readonly help: boolean;
  readonly version: boolean;
}

/** Largest `--workers` accepted: far above any core count, low enough to catch typos. */
export const MAX_WORKERS = 256;

/** `weir --help`. Every flag and environment variable is listed here. */
export const HELP_TEXT = `Usage: weir [options]
       weir token [--name NAME] [--scopes LIST]   (admin API token; "weir token --help")

Weir is a reverse proxy and API gateway. The primary process validates the config and
supervises the workers; the workers serve the traffic. The primary also serves the admin API
(default http://127.0.0.1:9901, bearer tokens; docs/admin-api.md).

Options:
  -c, --config FILE   Config file (JSON). Without it Weir serves the embedded default config:
                      a welcome page on http://127.0.0.1:8080/. SIGHUP re-reads FILE.
      --workers N     Number of worker processes (1-${MAX_WORKERS}), overriding the config's
                      "workers" (default there: one per CPU core).
      --check         Validate the config (the file, or the default), print OK or every
                      problem with its JSON pointer, and exit 0 (valid) or 1 (invalid).
      --state-dir DIR Where committed config versions are kept (overrides the config's
                      state.dir). Default: $STATE_DIRECTORY (systemd), else /var/lib/weir as
                      root, else $XDG_STATE_HOME/weir (~/.local/state/weir). On start, Weir
                      serves the last committed version from here unless the config file
                      changed since it was last applied (docs/operations.md).
      --no-watch      Do not watch the config file for changes; reload on SIGHUP only.
  -h, --help          Show this help and exit.
      --version       Print the version and exit.

Signals:
  SIGHUP              Re-read the config file and apply it to every worker; an invalid file is
                      rejected (logged as "config rejected") and the running config stays.
                      The file is also watched: a change of its content is applied the same
                      way, 200 ms after the last write (unless --no-watch).
  SIGTERM, SIGINT     Drain: stop accepting, finish in-flight requests for up to
                      server.drainTimeoutMs, then exit 0.

Environment:
  WEIR_ADMIN_LISTEN   Where the admin API listens, overriding the config's admin.listen:
                      ADDRESS:PORT, [IPV6]:PORT, or "off". Default: the config's, else
                      127.0.0.1:9901.
  WEIR_LOG_LEVEL      Log level (fatal, error, warn, info, debug, trace, silent); overrides the
                      config's logging.level. Default: the config's, else info.
  STATE_DIRECTORY     Set by systemd's StateDirectory=: the default state directory.
  WEIR_CLUSTER_SCHED  "rr" makes node:cluster distribute connections round-robin through the
                      primary. Default: workers accept on the shared socket themselves, which
                      measured far better tail latency under load (see docs/operations.md).

Exit status: 0 after a clean drain or a valid --check; 1 when the config is invalid or the
workers cannot start; 2 on a command-line error.

Logs are JSON lines on stdout. Docs: apps/weir/docs/. Examples: deploy/examples/.
`;

/** Result of {@link parseCliArgs}: the options, or a one-line usage error. */
export type CliParse = { readonly ok: true; readonly options: CliOptions } | { readonly ok: false; readonly error: string };

/** Parse the daemon's arguments (`process.argv.slice(2)`). Never throws. */
export function parseCliArgs(argv: readonly string[]): CliParse {
  let values: {
    config?: string;
    workers?: string;
    check?: boolean;
    help?: boolean;
    version?: boolean;
    'state-dir'?: string;
    'no-watch'?: boolean;
  };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        config: { type: 'string', short: 'c' },
        workers: { type: 'string' },
        check: { type: 'boolean' },
        'state-dir': { type: 'string' },
        'no-watch': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
      },
    }));
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  let workers: number | null = null;
  if (values.workers !== undefined) {
    workers = /^\d+$/.test(values.workers) ? Number(values.workers) : Number.NaN;
    if (!(workers >= 1 && workers <= MAX_WORKERS)) {
      return { ok: false, error: `--workers must be an integer from 1 to ${MAX_WORKERS}, got "${values.workers}"` };
    }
  }
  if (values.config === '') return { ok: false, error: '--config needs a file name' };
  if (values['state-dir'] === '') return { ok: false, error: '--state-dir needs a directory' };
  return {
    ok: true,
    options: {
      configPath: values.config ?? null,
      workers,
      check: values.check === true,
      stateDir: values['state-dir'] ?? null,
      watch: values['no-watch'] !== true,
      help: values.help === true,
      version: values.version === true,
    },
  };
}
