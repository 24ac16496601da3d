import { HELP_TEXT, parseCliArgs } from '../src/cli-args';

describe('parseCliArgs: state directory and watch flags', () => {
  it('defaults to no --state-dir and watching', () => {
    expect(parseCliArgs(['--config', 'a.json'])).toEqual({
      ok: true,
      options: expect.objectContaining({ configPath: 'a.json', stateDir: null, watch: true }),
    });
  });

  it('reads --state-dir DIR and --no-watch', () => {
    expect(parseCliArgs(['--state-dir', '/var/lib/x', '--no-watch'])).toEqual({
      ok: true,
      options: expect.objectContaining({ stateDir: '/var/lib/x', watch: false }),
    });
  });

  it('refuses an empty --state-dir', () => {
    expect(parseCliArgs(['--state-dir', ''])).toEqual({ ok: false, error: '--state-dir needs a directory' });
  });

  it('documents both flags and STATE_DIRECTORY in --help', () => {
    for (const word of ['--state-dir', '--no-watch', 'STATE_DIRECTORY']) expect(HELP_TEXT).toContain(word);
  });
});
