import { USAGE } from '../src/main';
import { runCli } from './support/run-cli';

/** Dispatch, help, version and usage errors (exit 2): everything main.ts decides before a command runs. */
describe('weirctl main', () => {
  it('prints the usage on help, --help and -h (exit 0), and without a command (exit 2)', async () => {
    expect.assertions(5);
    for (const argv of [['help'], ['--help'], ['-h'], ['status', '--help']]) expect(await runCli(argv)).toMatchObject({ code: 0, stdout: USAGE });
    expect(await runCli([])).toMatchObject({ code: 2, stdout: USAGE });
  });

  it('documents every exit code in the usage text', () => {
    for (let code = 0; code <= 8; code++) expect(USAGE).toMatch(new RegExp(`^  ${code}  \\S`, 'm'));
  });

  it('prints its version', async () => {
    expect.assertions(1);
    expect(await runCli(['--version'])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^weirctl \d+\.\d+\.\d+\n$/) });
  });

  it.each([
    [['frobnicate']],
    [['rollout']],
    [['token']],
    [['token', 'delete']],
    [['status', '--bogus']],
    [['status', 'extra']],
    [['get', '--url']],
    [['apply']],
    [['apply', 'a.json', 'b.json']],
    [['apply', 'a.json', '--if-match', '']],
    [['rollback', '--token', 't']],
    [['rollback', '--id', '1', '--version', 'v', '--token', 't']],
    [['diff', '/nonexistent/weir.json', '--token', 't']],
    [['status']],
    [['status', '--token', 't', '--url', 'ftp://example']],
    [['status', '--token', 't', '--request-timeout', 'never']],
  ])('exits 2 on the usage error %j', async (argv) => {
    expect.assertions(2);
    const r = await runCli(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^weirctl: WEIRCTL_ERR_(USAGE|FILE): /);
  });

  it('reports a usage error as JSON on stdout with --json', async () => {
    expect.assertions(2);
    const r = await runCli(['frobnicate', '--json']);
    expect(r.code).toBe(2);
    expect(r.json).toEqual({ error: { code: 'WEIRCTL_ERR_USAGE', message: 'unknown command "frobnicate"' } });
  });
});
