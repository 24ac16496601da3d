#!/usr/bin/env node
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AdminClient } from './admin-client';
import { usageError } from './cli-error';
import { parseCommandLine, splitCommand, type CommandLine } from './cli-options';
import { COMMANDS, COMMAND_GROUPS, type Command, type CommandContext } from './commands/index';
import { resolveConnection, type ConnectionEnvironment } from './connection';
import { ExitCode } from './exit-codes';
import { Output, type TextSink } from './output';
import { reportFailure } from './report-failure';

/**
 * weirctl: the operator's and CI's command-line client of the admin API
 * (apps/weir/docs/weirctl.md). `validate`, `token create` and the `bundle` commands work
 * offline; every other command calls the admin API. The exit codes are a contract for scripts (exit-codes.ts).
 */
export const USAGE = `Usage: weirctl <command> [options]

Config:
  validate FILE                 Check a config file offline (schema + semantic checks). Prints
                                "FILE: ok" or one line per problem: "<json-pointer>: <message>".
  diff FILE                     Validate FILE on the daemon and print what applying it would change
                                (POST /admin/config/validate; needs read). "no changes" if none.
  get [--etag]                  Print the running config (pretty JSON). --etag: its version on stderr.
  apply FILE [--if-match V]     Apply FILE to every worker (POST /admin/config; needs write).
                                --if-match V: only if version V is the running one (else exit 4).
  versions                      List kept versions, newest first ("*" = running).
  rollback (--id ID | --version V) [--if-match V]
                                Apply a kept version again (needs write).
  status                        The primary, running config, last apply, workers, current rollout.

Response cache (needs write):
  cache purge --route NAME (--key URL | --prefix URL)
                                Remove a cached route's entries of URL (http://host/path?query),
                                or every entry under the prefix URL, on every worker. Exit 8 if
                                the route has no cache, or if a worker did not acknowledge (504:
                                the purge may be partial; repeating it is safe).

Staged rollouts (need the rollout scope, and read to follow them):
  rollout start FILE [--stages 1,10,50,100] [--bake 60s] [--pause-at 50] [--wait [--timeout 30m]]
                [--sticky header:NAME|cookie:NAME|address] [--min-requests N]
                [--max-error-rate-increase F] [--max-error-rate F] [--max-p99-ratio F]
                [--p99-tolerance-ms N] [--max-p99-ms N]
                                Start a rollout of FILE. Omitted settings take the daemon's defaults.
                                --bake: per stage (90, 90s, 5m, 1h). --pause-at P: stage P is a
                                manual gate (repeatable or a comma list). --wait: follow it and exit
                                with its verdict. --timeout: give up waiting after D (exit 7).
  rollout status [ID]           One rollout (default: the current one, else the newest).
  rollout wait [ID] [--timeout D]
                                Follow a rollout to its end; exit 0 promoted, 3 aborted.
  rollout promote [ID] [--full] Pass the current stage or manual gate; --full: promote at once.
  rollout pause [ID]            Hold the current stage.
  rollout resume [ID]           Continue a paused rollout.
  rollout abort [ID]            Drop the candidate; the stable version keeps serving.
  rollout list                  Every kept rollout, newest first ("*" = current).
                                Without ID, actions apply to the current (running or paused) rollout.

Tokens (offline):
  token create [--name NAME] [--scopes read,write,rollout,admin]
                                Print a new token on stdout and its admin.tokens entry on stderr.

Secrets for plugins (offline):
  hash-secret [--sha256] [--secret-file FILE | --generate]
                                Print the hash of the secret in FILE (- = stdin, the default; one
                                trailing newline removed): a scrypt PHC string for basicAuth
                                passwordHash, or with --sha256 the hex digest for apiKey keys.
                                --generate: a new random secret on stdout, its hash on stderr.

Signed config bundles (offline):
  bundle keygen --key-id ID --out DIR
                                Write a new ed25519 key pair: DIR/ID.key (private, mode 0600) and
                                DIR/ID.pub. Never overwrites a key.
  bundle sign --key DIR/ID.key [--key ...] --revision N [--expires T] [--label K=V ...]
              CONFIG_FILE --out BUNDLE
                                Validate CONFIG_FILE (exit 1 if invalid) and write it as a bundle
                                signed by every --key. --expires: a UTC time (2027-01-01T00:00:00Z)
                                or a duration from now (720h). --label: a target label (repeatable).
  bundle verify --pub DIR/ID.pub [--pub ...] [--threshold K] [--current-revision N] BUNDLE
                                Every check a host makes: K valid signatures by the trusted keys
                                (default 1), not expired, revision newer than N, a valid config.
                                Exit 0 good; 9 rejected (1 if only the config is invalid).
  bundle inspect BUNDLE         Print the revision, times, labels and signing key ids (unverified).

  help, --help, -h              Show this help.   --version   Print weirctl's version.

Options for every command:
  --url URL                     Admin API address. Env WEIR_ADMIN_URL. Default http://127.0.0.1:9901.
  --token TOKEN                 Bearer token. Or --token-file PATH (trimmed), env WEIR_TOKEN,
                                env WEIR_TOKEN_FILE (first found wins).
  --request-timeout D           Timeout of one HTTP request. Default 60s.
  --json                        Print one JSON document on stdout: the API's answer, or
                                {"error":{"code","message"}}. Human text otherwise; following a
                                rollout redraws a live view on a terminal, one line per update elsewhere.

Exit codes:
  0  success (valid, applied, unchanged, promoted, action accepted)
  1  invalid config (offline, or 400 WEIR_ERR_CONFIG_INVALID / _PARSE / WEIR_ERR_ROLLOUT_UNSUPPORTED)
  2  usage error or unreadable file
  3  rollout aborted (by analysis, an operator, a restart or a failed apply)
  4  conflict (409, or 412: --if-match does not name the running version)
  5  unauthorized or forbidden (401, 403, 429 throttled)
  6  admin API unreachable (connection refused, DNS failure, reset before an answer)
  7  timed out (a --timeout of a wait, or one HTTP request)
  8  any other failure (5xx, 422 apply rejected, 404 unknown rollout or version, unexpected answer)
  9  bundle rejected (malformed, tampered, unknown key, bad signature, threshold, expired, revision)
`;

/** Where `run` reads and writes; the process's streams and environment by default. */
export interface CliIo {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  readonly env: ConnectionEnvironment;
  /** Wall clock, epoch ms. Default `Date.now`. */
  readonly now?: () => number;
}

/** weirctl's own version (its package.json, next to both src/ and dist/). */
function version(): string {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version?: string };
    return manifest.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

const BY_NAME = new Map<string, Command>(COMMANDS.map((command) => [command.name, command]));

/** The command named by `words`, or a usage error naming what exists. */
function findCommand(words: readonly string[]): Command {
  const [group, sub] = words;
  if (group !== undefined && COMMAND_GROUPS.has(group)) {
    const command = sub === undefined ? undefined : BY_NAME.get(`${group} ${sub}`);
    if (command !== undefined) return command;
    const subs = COMMANDS.filter((c) => c.name.startsWith(`${group} `)).map((c) => c.name.slice(group.length + 1));
    throw usageError(sub === undefined ? `"${group}" needs a subcommand: ${subs.join(', ')}` : `unknown command "${group} ${sub}"; "${group}" has ${subs.join(', ')}`);
  }
  const command = group === undefined ? undefined : BY_NAME.get(group);
  if (command === undefined || command.name.includes(' ')) throw usageError(`unknown command "${group ?? ''}"`);
  return command;
}

/** Wait for an asynchronous command, report its failure, and close the client it opened. */
async function settle(pending: Promise<number>, out: Output, opened: () => AdminClient | null): Promise<number> {
  try {
    return await pending;
  } catch (err) {
    return reportFailure(out, err);
  } finally {
    await opened()?.close();
  }
}

/**
 * Run weirctl with `argv` (without `node` and the script) and return the exit code: a number
 * for commands that finish synchronously (help, validate, token create, usage errors), a
 * promise for those that call the admin API. Never throws.
 */
export function run(argv: readonly string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env }): number | Promise<number> {
  const { words, rest } = splitCommand(argv, COMMAND_GROUPS);
  const fallback = new Output(rest.includes('--json'), io.stdout, io.stderr);
  if (words.length === 0 || words[0] === 'help') {
    if (rest.includes('--version') && words.length === 0) {
      io.stdout.write(`weirctl ${version()}\n`);
      return ExitCode.OK;
    }
    const asked = words[0] === 'help' || rest.includes('--help') || rest.includes('-h');
    io.stdout.write(USAGE);
    return asked ? ExitCode.OK : ExitCode.USAGE;
  }
  let command: Command;
  let line: CommandLine;
  try {
    command = findCommand(words);
    line = parseCommandLine(rest, command.flags);
  } catch (err) {
    return reportFailure(fallback, err);
  }
  if (line.boolean('help')) {
    io.stdout.write(USAGE);
    return ExitCode.OK;
  }
  const out = new Output(line.boolean('json'), io.stdout, io.stderr);
  let client: AdminClient | null = null;
  const context: CommandContext = {
    line,
    out,
    now: io.now ?? Date.now,
    client: () => {
      if (client === null) {
        const settings = resolveConnection(line, io.env);
        client = new AdminClient({ url: settings.url, token: settings.token, requestTimeoutMs: settings.requestTimeoutMs, userAgent: `weirctl/${version()}` });
      }
      return client;
    },
  };
  let result: number | Promise<number>;
  try {
    result = command.run(context);
  } catch (err) {
    return reportFailure(out, err);
  }
  return typeof result === 'number' ? result : settle(result, out, () => client);
}

if (require.main === module) {
  void Promise.resolve(run(process.argv.slice(2))).then((code) => {
    process.exitCode = code;
  });
}
