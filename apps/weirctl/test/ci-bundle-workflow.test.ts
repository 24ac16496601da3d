import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli } from './support/run-cli';

/**
 * deploy/ci/github-actions-bundle.yml signs and verifies a bundle with weirctl: every `weirctl`
 * command line in it must name a real command with flags weirctl accepts (checked with `--help`,
 * which parses the whole command line first).
 */
const workflow = path.resolve(__dirname, '..', '..', '..', 'deploy', 'ci', 'github-actions-bundle.yml');

function weirctlLines(text: string): string[][] {
  const lines: string[][] = [];
  for (const line of text.split('\n')) {
    const match = /^\s*(?:if .*then )?weirctl (.*?)(?:;\s*fi)?$/.exec(line);
    if (match === null || line.trimStart().startsWith('#')) continue;
    const words = (match[1] as string).split(/\s+/).filter((word) => word !== '"${expires[@]}"');
    lines.push(words.map((word) => word.replace(/^"(.*)"$/, '$1')));
  }
  return lines;
}

describe('the GitHub Actions bundle workflow', () => {
  const text = fs.readFileSync(workflow, 'utf8');

  it('validates, signs with the run number as revision, verifies and inspects', () => {
    expect(weirctlLines(text).map((argv) => argv.slice(0, 2).join(' '))).toEqual([
      'validate weir/config.json',
      'bundle sign',
      'bundle verify',
      'bundle inspect',
    ]);
    expect(text).toContain('--revision "$GITHUB_RUN_NUMBER"');
  });

  it('uses only commands and flags weirctl accepts', async () => {
    const lines = weirctlLines(text);
    expect.assertions(lines.length);
    for (const argv of lines) expect(await runCli([...argv, '--help'])).toMatchObject({ code: 0 });
  });

  it('never leaves the private key on the runner', () => {
    expect(text).toContain('umask 077');
    expect(text).toContain('rm -f "$RUNNER_TEMP/release.key"');
  });
});
