import { CliError } from '../src/cli-error';
import { parseCommandLine, splitCommand } from '../src/cli-options';
import { ExitCode } from '../src/exit-codes';

const groups = new Set(['rollout', 'token']);

function usageOf(fn: () => unknown): { code: string; exitCode: number } {
  try {
    fn();
  } catch (err) {
    if (err instanceof CliError) return { code: err.code, exitCode: err.exitCode };
    throw err;
  }
  throw new Error('expected a usage error');
}

describe('splitCommand', () => {
  it('takes the first word as the command and a group word plus its subcommand', () => {
    expect(splitCommand(['status'], groups)).toEqual({ words: ['status'], rest: [] });
    expect(splitCommand(['rollout', 'start', 'f.json', '--wait'], groups)).toEqual({ words: ['rollout', 'start'], rest: ['f.json', '--wait'] });
  });

  it('skips global flags and their values before the command', () => {
    expect(splitCommand(['--url', 'http://h:1', '--json', 'rollout', 'wait', '7'], groups)).toEqual({
      words: ['rollout', 'wait'],
      rest: ['--url', 'http://h:1', '--json', '7'],
    });
    expect(splitCommand(['--token=abc', 'get'], groups)).toEqual({ words: ['get'], rest: ['--token=abc'] });
  });

  it('keeps everything after -- as arguments', () => {
    expect(splitCommand(['validate', '--', '--odd-name.json'], groups)).toEqual({ words: ['validate'], rest: ['--', '--odd-name.json'] });
  });
});

describe('parseCommandLine', () => {
  it('reads global and command flags, in both --flag value and --flag=value forms', () => {
    const line = parseCommandLine(['f.json', '--bake=90s', '--pause-at', '10', '--pause-at', '50,100', '--json', '--url', 'http://x'], {
      bake: 'string',
      'pause-at': 'strings',
    });
    expect(line.positionals).toEqual(['f.json']);
    expect(line.duration('bake')).toBe(90_000);
    expect(line.list('pause-at')).toEqual(['10', '50', '100']);
    expect(line.boolean('json')).toBe(true);
    expect(line.boolean('wait')).toBe(false);
    expect(line.string('url')).toBe('http://x');
    expect(line.string('token')).toBeUndefined();
  });

  it('keeps repeatable values whole with strings() (labels and paths may hold commas)', () => {
    const line = parseCommandLine(['--label', 'zone=a,b', '--label=env=prod', '--key', 'k.key'], { label: 'strings', key: 'strings', pub: 'strings' });
    expect(line.strings('label')).toEqual(['zone=a,b', 'env=prod']);
    expect(line.strings('key')).toEqual(['k.key']);
    expect(line.strings('pub')).toEqual([]);
  });

  it('rejects unknown flags, missing values and flags of other commands with a usage error (exit 2)', () => {
    expect(usageOf(() => parseCommandLine(['--frobnicate'], {}))).toEqual({ code: 'WEIRCTL_ERR_USAGE', exitCode: ExitCode.USAGE });
    expect(usageOf(() => parseCommandLine(['--url'], {})).exitCode).toBe(ExitCode.USAGE);
    expect(usageOf(() => parseCommandLine(['--wait'], { etag: 'boolean' })).exitCode).toBe(ExitCode.USAGE);
    expect(usageOf(() => parseCommandLine(['--json=yes'], {})).exitCode).toBe(ExitCode.USAGE);
  });

  it('turns malformed values into usage errors', () => {
    const line = parseCommandLine(['--timeout', 'soon', '--min-requests', '2.5'], { timeout: 'string', 'min-requests': 'string' });
    expect(usageOf(() => line.duration('timeout')).exitCode).toBe(ExitCode.USAGE);
    expect(usageOf(() => line.number('min-requests', 1, 100, true)).exitCode).toBe(ExitCode.USAGE);
    expect(usageOf(() => parseCommandLine(['--timeout', '0s'], { timeout: 'string' }).duration('timeout')).exitCode).toBe(ExitCode.USAGE);
  });

  it('checks the number of positionals', () => {
    expect(parseCommandLine(['a'], {}).expectPositionals(1, 'FILE')).toEqual(['a']);
    expect(usageOf(() => parseCommandLine([], {}).expectPositionals(1, 'FILE')).exitCode).toBe(ExitCode.USAGE);
    expect(usageOf(() => parseCommandLine(['a', 'b'], {}).expectPositionals(1, 'FILE')).exitCode).toBe(ExitCode.USAGE);
    expect(parseCommandLine([], {}).optionalPositional('ID')).toBeUndefined();
    expect(usageOf(() => parseCommandLine(['1', '2'], {}).optionalPositional('ID')).exitCode).toBe(ExitCode.USAGE);
  });

  it('knows -h as --help', () => {
    expect(parseCommandLine(['-h'], {}).boolean('help')).toBe(true);
  });
});
