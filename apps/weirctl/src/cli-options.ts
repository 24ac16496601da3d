import { parseArgs } from 'node:util';
import { usageError } from './cli-error';
import { parseDuration } from './duration';

/** How a flag takes its value: none (`boolean`), one (`string`), or repeatable (`strings`). */
export type FlagType = 'boolean' | 'string' | 'strings';

/** The flags one command accepts, by long name (without `--`). */
export type FlagSpecs = Readonly<Record<string, FlagType>>;

/**
 * Flags every command accepts, before or after the command words: the connection settings,
 * `--json`, and `--help`/`-h`. `--version` is only meaningful alone.
 */
export const GLOBAL_FLAGS: FlagSpecs = {
  url: 'string',
  token: 'string',
  'token-file': 'string',
  'request-timeout': 'string',
  json: 'boolean',
  help: 'boolean',
  version: 'boolean',
};

type FlagValue = string | boolean | string[] | undefined;

/**
 * A parsed command line: positionals (after the command words) and flag values, with typed
 * accessors that turn malformed values into usage errors (exit 2).
 */
export class CommandLine {
  constructor(
    readonly positionals: readonly string[],
    private readonly values: Readonly<Record<string, FlagValue>>,
  ) {}

  /** A string flag's value, or undefined when absent. */
  string(name: string): string | undefined {
    const value = this.values[name];
    return typeof value === 'string' ? value : undefined;
  }

  /** True when the boolean flag is present. */
  boolean(name: string): boolean {
    return this.values[name] === true;
  }

  /** Every value of a repeatable flag, as given (no comma splitting: paths and label values may hold commas). */
  strings(name: string): string[] {
    const value = this.values[name];
    return Array.isArray(value) ? [...value] : typeof value === 'string' ? [value] : [];
  }

  /** Every value of a repeatable flag, each also split on commas (`--pause-at 10 --pause-at 50,100`). */
  list(name: string): string[] {
    const value = this.values[name];
    const raw = Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
    return raw.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
  }

  /** A duration flag in milliseconds (`90`, `90s`, `5m`, `1h`, `500ms`), undefined when absent. */
  duration(name: string): number | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    const ms = parseDuration(text);
    if (ms === null || ms <= 0) throw usageError(`--${name} must be a positive duration such as 90, 90s, 5m or 1h; got "${text}"`);
    return ms;
  }

  /** A number flag within [min, max], undefined when absent. */
  number(name: string, min: number, max: number, integer = false): number | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    const value = text.trim() === '' ? Number.NaN : Number(text);
    if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
      throw usageError(`--${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}; got "${text}"`);
    }
    return value;
  }

  /** Exactly `count` positionals (named in `what` for the message); more or fewer is a usage error. */
  expectPositionals(count: number, what: string): string[] {
    if (this.positionals.length !== count) {
      const got = this.positionals.length === 0 ? 'none' : this.positionals.map((p) => `"${p}"`).join(' ');
      throw usageError(`expected ${count === 0 ? 'no arguments' : what}; got ${got}`);
    }
    return [...this.positionals];
  }

  /** At most one positional (an optional ID). */
  optionalPositional(what: string): string | undefined {
    if (this.positionals.length > 1) throw usageError(`expected at most one argument (${what}); got ${this.positionals.length}`);
    return this.positionals[0];
  }
}

/** True when `arg` is a flag (`-h`, `--json`, `--url=x`), not a value or `-` alone. */
function isFlag(arg: string): boolean {
  return arg.length > 1 && arg.startsWith('-');
}

/**
 * Split argv into the command words and the rest. The first word that is not a flag (or the
 * value of a global string flag) is the command; for a command in `groups` (`rollout`, `token`)
 * the next such word is its subcommand. Global flags may thus come first:
 * `weirctl --url http://... status`.
 */
export function splitCommand(argv: readonly string[], groups: ReadonlySet<string>): { words: string[]; rest: string[] } {
  const words: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    const wanted = words.length === 0 || (words.length === 1 && groups.has(words[0] as string));
    if (isFlag(arg)) {
      rest.push(arg);
      const name = arg.startsWith('--') ? arg.slice(2) : '';
      if (!name.includes('=') && GLOBAL_FLAGS[name] === 'string' && i + 1 < argv.length) rest.push(argv[++i] as string);
    } else if (wanted) {
      words.push(arg);
    } else {
      rest.push(arg);
    }
  }
  return { words, rest };
}

/** Parse `argv` (command words removed) with the global flags plus `specs`; unknown flags are usage errors. */
export function parseCommandLine(argv: readonly string[], specs: FlagSpecs): CommandLine {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = {};
  for (const [name, type] of Object.entries({ ...GLOBAL_FLAGS, ...specs })) {
    options[name] = type === 'strings' ? { type: 'string', multiple: true } : { type };
  }
  (options['help'] as { short?: string }).short = 'h';
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
    return new CommandLine(positionals, values as Record<string, FlagValue>);
  } catch (err) {
    throw usageError(err instanceof Error ? err.message.replace(/\. To specify a positional argument.*$/s, '') : String(err));
  }
}
