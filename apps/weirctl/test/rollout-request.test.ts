import { CliError } from '../src/cli-error';
import { parseCommandLine } from '../src/cli-options';
import { ROLLOUT_REQUEST_FLAGS, bakeSecondsOf, buildRolloutRequest, buildStages, parsePercents, parseSticky } from '../src/rollout-request';

function usage(fn: () => unknown): number {
  try {
    fn();
  } catch (err) {
    if (err instanceof CliError && err.code === 'WEIRCTL_ERR_USAGE') return err.exitCode;
    throw err;
  }
  throw new Error('expected a usage error');
}

const config = { listeners: [], routes: [] };
const request = (...argv: string[]): ReturnType<typeof buildRolloutRequest> => buildRolloutRequest(config, parseCommandLine(argv, ROLLOUT_REQUEST_FLAGS));

describe('rollout request', () => {
  it('sends only the config when no flag shapes the rollout (the daemon defaults apply)', () => {
    expect(request()).toEqual({ config });
  });

  it('builds stages from --stages, --bake and --pause-at', () => {
    expect(request('--stages', '1,10,50,100', '--bake', '90s', '--pause-at', '50')).toEqual({
      config,
      stages: [
        { percent: 1, bakeSeconds: 90, pause: false },
        { percent: 10, bakeSeconds: 90, pause: false },
        { percent: 50, bakeSeconds: 90, pause: true },
        { percent: 100, bakeSeconds: 90, pause: false },
      ],
    });
  });

  it('uses the default percents and bake when only one stage flag is given', () => {
    expect(request('--bake', '5m').stages?.map((s) => [s.percent, s.bakeSeconds])).toEqual([
      [1, 300],
      [10, 300],
      [50, 300],
      [100, 300],
    ]);
    expect(request('--pause-at', '10,50').stages?.map((s) => [s.percent, s.bakeSeconds, s.pause])).toEqual([
      [1, 60, false],
      [10, 60, true],
      [50, 60, true],
      [100, 60, false],
    ]);
    expect(request('--pause-at', '10', '--pause-at', '100').stages?.filter((s) => s.pause).map((s) => s.percent)).toEqual([10, 100]);
  });

  it('accepts 90, 90s, 5m and 1h as a bake', () => {
    expect(['90', '90s', '5m', '1h'].map((bake) => request('--bake', bake).stages?.[0]?.bakeSeconds)).toEqual([90, 90, 300, 3600]);
  });

  it('adds sticky and analysis settings', () => {
    expect(request('--sticky', 'header:X-User', '--min-requests', '50', '--max-error-rate-increase', '0.02', '--max-p99-ms', '250')).toEqual({
      config,
      sticky: { header: 'x-user' },
      analysis: { minRequests: 50, maxErrorRateIncrease: 0.02, maxP99Ms: 250 },
    });
    expect(request('--max-error-rate', '0.05', '--max-p99-ratio', '2', '--p99-tolerance-ms', '5').analysis).toEqual({
      maxErrorRate: 0.05,
      maxP99Ratio: 2,
      p99ToleranceMs: 5,
    });
  });

  it('parses the sticky forms', () => {
    expect(parseSticky('header:x-user')).toEqual({ header: 'x-user' });
    expect(parseSticky('cookie:session')).toEqual({ cookie: 'session' });
    expect(parseSticky('address')).toEqual({ clientAddress: true });
    for (const bad of ['header:', 'cookie', 'query:x', 'address:x', '']) expect(usage(() => parseSticky(bad))).toBe(2);
  });

  it('rejects stage lists the daemon would refuse, as usage errors', () => {
    expect(parsePercents(['0.5', '5%', '100'])).toEqual([0.5, 5, 100]);
    expect(usage(() => parsePercents(['10', '5']))).toBe(2);
    expect(usage(() => parsePercents(['10', '10']))).toBe(2);
    expect(usage(() => parsePercents(['0']))).toBe(2);
    expect(usage(() => parsePercents(['101']))).toBe(2);
    expect(usage(() => parsePercents(['x']))).toBe(2);
    expect(usage(() => parsePercents([]))).toBe(2);
    expect(usage(() => parsePercents(Array.from({ length: 21 }, (_, i) => String(i + 1))))).toBe(2);
  });

  it('rejects a --pause-at that names no stage, and bakes that are not whole seconds from 1 s to 24 h', () => {
    expect(usage(() => buildStages([1, 100], 60, [50]))).toBe(2);
    expect(usage(() => request('--pause-at', 'half'))).toBe(2);
    expect(usage(() => bakeSecondsOf(1500))).toBe(2);
    expect(usage(() => bakeSecondsOf(500))).toBe(2);
    expect(usage(() => bakeSecondsOf(86_401_000))).toBe(2);
    expect(bakeSecondsOf(86_400_000)).toBe(86_400);
    expect(usage(() => request('--min-requests', '0'))).toBe(2);
    expect(usage(() => request('--max-error-rate-increase', '2'))).toBe(2);
  });
});
