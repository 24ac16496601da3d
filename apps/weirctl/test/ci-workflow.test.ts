import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli } from './support/run-cli';

/**
 * deploy/ci/github-actions-rollout.yml drives weirctl: every `weirctl ...` command line in it must
 * name a real command with flags weirctl accepts (checked with `--help`, which parses the whole
 * command line first), so renaming a flag cannot silently break the published workflow.
 */
const workflow = path.resolve(__dirname, '..', '..', '..', 'deploy', 'ci', 'github-actions-rollout.yml');

function weirctlLines(text: string): string[][] {
  const lines: string[][] = [];
  for (const line of text.split('\n')) {
    const match = /^\s*weirctl (.*?)(?:\s*\|.*|\s+2>&1.*)?$/.exec(line);
    if (match === null) continue;
    lines.push((match[1] as string).split(/\s+/).map((word) => word.replace(/^"(.*)"$/, '$1')));
  }
  return lines;
}

describe('the GitHub Actions rollout workflow', () => {
  const text = fs.readFileSync(workflow, 'utf8');

  it('runs validate, diff and rollout start --wait with a timeout', () => {
    expect(weirctlLines(text).map((argv) => argv.slice(0, 2).join(' '))).toEqual([
      'validate weir/config.json',
      'diff weir/config.json',
      'rollout start',
      'rollout status',
    ]);
    expect(text).toContain('weirctl rollout start weir/config.json --stages 1,10,50,100 --bake 60s --wait --timeout 30m');
  });

  it('uses only commands and flags weirctl accepts', async () => {
    const lines = weirctlLines(text);
    expect.assertions(lines.length);
    for (const argv of lines) expect(await runCli([...argv, '--help'])).toMatchObject({ code: 0 });
  });

  it('explains every exit code in the summary', () => {
    for (let code = 0; code <= 8; code++) expect(text).toMatch(new RegExp(`^ +${code}\\) echo "`, 'm'));
  });
});
