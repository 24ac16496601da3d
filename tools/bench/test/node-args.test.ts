import * as path from 'node:path';

const lib = (name: string): string => path.join(__dirname, '..', 'lib', name);
const nodeArgs = require(lib('node-args.js')) as {
  splitNodeArgs(text: string | undefined): string[];
  benchNodeArgs(env?: NodeJS.ProcessEnv): string[];
};
const args = require(lib('args.js')) as {
  parseArgs(argv: string[]): { baseline: string | null; baselineNodeArgs: string[] };
  UsageError: new (message: string) => Error;
};

describe('bench node flags', () => {
  test('flags are split on spaces, empty parts dropped; nothing set gives none', () => {
    expect(nodeArgs.splitNodeArgs(' --cpu-prof  --cpu-prof-dir=/tmp/p ')).toEqual(['--cpu-prof', '--cpu-prof-dir=/tmp/p']);
    expect(nodeArgs.splitNodeArgs(undefined)).toEqual([]);
    expect(nodeArgs.benchNodeArgs({ WEIR_BENCH_NODE_ARGS: '--trace-gc' })).toEqual(['--trace-gc']);
    expect(nodeArgs.benchNodeArgs({})).toEqual([]);
  });

  test('--baseline-node-args gives weir-baseline its flags, and needs --baseline', () => {
    expect(args.parseArgs(['--baseline', '.', '--baseline-node-args', '--optimize-for-size --max-semi-space-size=4']).baselineNodeArgs)
      .toEqual(['--optimize-for-size', '--max-semi-space-size=4']);
    expect(args.parseArgs([]).baselineNodeArgs).toEqual([]);
    expect(() => args.parseArgs(['--baseline-node-args', '--optimize-for-size'])).toThrow(args.UsageError);
    expect(() => args.parseArgs(['--baseline-node-args', '--optimize-for-size'])).toThrow(/needs --baseline/);
  });
});
