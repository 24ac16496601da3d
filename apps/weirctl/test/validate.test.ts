import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** weirctl runs from its build (npm test runs `tsc -b` first). */
const cli = path.resolve(__dirname, '..', 'dist', 'main.js');
const example = path.resolve(__dirname, '..', '..', '..', 'deploy', 'examples', 'basic.json');

function weirctl(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 20_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('weirctl validate', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weirctl-'));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('accepts the shipped example config', () => {
    const r = weirctl('validate', example);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('ok');
  });

  it('lists every problem with its JSON pointer and exits 1', () => {
    const file = path.join(dir, 'bad.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        listeners: [{ name: 'l', port: 70000 }],
        routes: [{ name: 'r', upstream: 'missing' }],
      }),
    );
    const r = weirctl('validate', file);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('WEIR_ERR_CONFIG_INVALID');
    expect(r.stderr).toContain('/listeners/0/port');
  });

  it('reports unparsable JSON with the parse code', () => {
    const file = path.join(dir, 'broken.json');
    fs.writeFileSync(file, '{"listeners": [');
    const r = weirctl('validate', file);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('WEIR_ERR_CONFIG_PARSE');
  });

  it('exits 2 on a missing file or a usage error', () => {
    expect(weirctl('validate', path.join(dir, 'nope.json')).status).toBe(2);
    expect(weirctl('frobnicate').status).toBe(2);
    expect(weirctl('help').status).toBe(0);
  });
});
