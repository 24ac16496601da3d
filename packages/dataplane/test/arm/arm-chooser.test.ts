import { ArmChooser } from '../../src/arm/index';

const header = (name: string, value: string): string[] => [name, value];

describe('ArmChooser', () => {
  it('sends the share of random draws to the candidate', () => {
    const draws = [0, 0.009, 0.0101, 0.5, 0.99];
    let i = 0;
    const chooser = new ArmChooser({ percent: 1, sticky: null }, () => draws[i++ % draws.length] as number);
    expect(draws.map(() => chooser.candidate([], '127.0.0.1'))).toEqual([true, true, false, false, false]);
  });

  it('never picks the candidate at 0% and always at 100%', () => {
    const zero = new ArmChooser({ percent: 0, sticky: null }, () => 0);
    const all = new ArmChooser({ percent: 100, sticky: null }, () => 0.999999);
    expect(zero.candidate([], undefined)).toBe(false);
    expect(all.candidate([], undefined)).toBe(true);
  });

  it('keeps a sticky key on one arm, and on the candidate as the share grows', () => {
    const never = (): number => {
      throw new Error('a keyed request must not draw at random');
    };
    const stages = [1, 10, 50, 100].map((percent) => new ArmChooser({ percent, sticky: { kind: 'header', name: 'x-user' } }, never));
    let onCandidateAt1 = 0;
    for (let u = 0; u < 2000; u++) {
      const raw = header('X-User', `user-${u}`);
      const picks = stages.map((s) => s.candidate(raw, '127.0.0.1'));
      // Same answer every time for the same key.
      expect(stages[1]!.candidate(raw, '127.0.0.1')).toBe(picks[1]);
      // Monotone: once on the candidate, on it at every larger share.
      const first = picks.indexOf(true);
      if (first !== -1) expect(picks.slice(first).every(Boolean)).toBe(true);
      if (picks[0]) onCandidateAt1++;
    }
    // About 1% of 2000 keys (a binomial with mean 20: a wide bound that still catches a bias).
    expect(onCandidateAt1).toBeGreaterThan(5);
    expect(onCandidateAt1).toBeLessThan(45);
  });

  it('draws at random when the sticky key is missing, and hashes cookies and addresses', () => {
    const cookie = new ArmChooser({ percent: 50, sticky: { kind: 'cookie', name: 'sid' } }, () => 0);
    expect(cookie.candidate(['Host', 'x'], undefined)).toBe(true);
    const a = cookie.candidate(['Cookie', 'a=1; sid=abc'], undefined);
    expect(cookie.candidate(['cookie', 'sid=abc; z=2'], undefined)).toBe(a);
    const address = new ArmChooser({ percent: 50, sticky: { kind: 'clientAddress' } }, () => 0.99);
    const answers = new Set<boolean>();
    for (let i = 0; i < 64; i++) answers.add(address.candidate([], `10.0.0.${i}`));
    expect(answers).toEqual(new Set([true, false]));
    expect(address.candidate([], '10.0.0.7')).toBe(address.candidate([], '10.0.0.7'));
  });
});
