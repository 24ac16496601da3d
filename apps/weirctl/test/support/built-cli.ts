import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

/** weirctl's build (`npx tsc -b` first; npm test does it). */
const cli = path.resolve(__dirname, '..', '..', 'dist', 'main.js');

/** What one run of the built weirctl printed and returned. */
export interface BuiltCliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed as JSON (for `--json` runs), undefined when it is not JSON. */
  readonly json: any;
}

/**
 * Run the built weirctl as a separate process, as a script or CI would (file modes, exit codes,
 * the real clock), with an environment free of the developer's WEIR_* settings.
 */
export function runBuiltCli(args: readonly string[], options: { cwd?: string } = {}): BuiltCliResult {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 20_000, cwd: options.cwd, env: { PATH: process.env['PATH'] ?? '' } });
  let json: unknown;
  try {
    json = JSON.parse(r.stdout);
  } catch {
    json = undefined;
  }
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, json };
}
