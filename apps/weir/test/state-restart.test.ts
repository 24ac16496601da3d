import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { WeirConfig } from '@weir/config';
import { StateStore } from '@weir/controlplane';
import { buildSpec } from '@weir/runtime';
import { send } from './harness/client';
import { ConfigFile, proxyConfig } from './harness/config-file';
import { Daemon, type LogLine } from './harness/daemon';

/**
 * Persistence across restarts (issue 3): the primary records every committed config in its
 * state directory, and on restart serves the last committed version even when the config file
 * is gone, saying where the config came from (`config source`, `from`). A damaged state file is
 * reported and skipped, never fatal. And the file-versus-admin rule: an unchanged file does not
 * undo a later admin change on restart, while a file edited (while Weir was down, or while it
 * runs) wins.
 */
function served(body: string): WeirConfig {
  return proxyConfig({ routes: [{ name: 'r', directResponse: { status: 200, body } }] });
}

function isSource(line: LogLine): boolean {
  return line.msg === 'config source';
}

describe('restart from the state directory', () => {
  let stateDir: string;
  let file: ConfigFile | null = null;
  let daemon: Daemon | null = null;

  beforeEach(() => {
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'weir-e2e-state-'));
  });

  afterEach(async () => {
    await daemon?.stop();
    daemon = null;
    file?.remove();
    file = null;
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  const start = async (configPath?: string): Promise<Daemon> => {
    daemon = await Daemon.start({ stateDir, ...(configPath === undefined ? {} : { configPath }) });
    return daemon;
  };

  const body = async (d: Daemon): Promise<string> => (await send(d.port)).body;

  it('serves the last committed version after the config file is deleted, and says so', async () => {
    expect.assertions(9);
    file = new ConfigFile(served('one'));
    let d = await start(file.path);
    expect(d.logs.find(isSource)).toMatchObject({ from: 'file', path: file.path, stateDir });
    const applied = d.nextLog((l) => l.msg === 'config applied');
    file.write(served('two'));
    const committed = await applied; // the file watch applied it
    expect(await body(d)).toBe('two');
    await d.stop();

    const deleted = file.path;
    file.remove();
    file = null;
    d = await start(deleted);
    expect(d.logs.find((l) => l.msg === 'config rejected')).toMatchObject({ source: 'file', code: 'WEIR_ERR_CONFIG_READ' });
    expect(d.logs.find(isSource)).toMatchObject({ from: 'state', committedSource: 'file', version: committed['version'] });
    expect(d.version).toBe(committed['version']);
    expect(await body(d)).toBe('two');
    await d.stop();

    // Without --config at all: the same version, not the embedded default.
    d = await start();
    expect(d.logs.find(isSource)).toMatchObject({ from: 'state', path: null });
    expect(d.version).toBe(committed['version']);
    expect(await body(d)).toBe('two');
  }, 90_000);

  it('skips a damaged state file without crashing and serves the version before it', async () => {
    expect.assertions(4);
    file = new ConfigFile(served('first'));
    let d = await start(file.path);
    const applied = d.nextLog((l) => l.msg === 'config recorded');
    file.write(served('second'));
    await applied;
    await d.stop();

    const versions = path.join(stateDir, 'versions');
    const newest = fs.readdirSync(versions).sort().pop() as string;
    const bytes = fs.readFileSync(path.join(versions, newest));
    fs.writeFileSync(path.join(versions, newest), bytes.subarray(0, bytes.length >> 1)); // a torn write
    const deleted = file.path;
    file.remove();
    file = null;

    d = await start(deleted);
    expect(d.logs.find((l) => l.msg === 'state version skipped')).toMatchObject({ level: 'warn', fault: 'truncated', file: path.join(versions, newest) });
    expect(d.logs.find(isSource)).toMatchObject({ from: 'state' });
    expect(await body(d)).toBe('first');
    expect(d.hasExited).toBe(false);
  }, 90_000);

  it('file versus admin: an unchanged file keeps a later admin change; an edited file wins, at start or while running', async () => {
    expect.assertions(7);
    file = new ConfigFile(served('from file'));
    let d = await start(file.path);
    await d.stop();

    // An admin change committed after the file (as the admin API records it).
    const recordAdmin = async (text: string): Promise<string> => {
      const store = await StateStore.open(stateDir);
      await store.load();
      const spec = buildSpec(served(text));
      await store.record({ config: served(text), spec: { version: spec.version, hash: spec.hash }, source: 'admin', principal: 'ci' });
      return spec.version;
    };
    const adminVersion = await recordAdmin('from admin');

    d = await start(file.path);
    expect(d.logs.find(isSource)).toMatchObject({ from: 'state', committedSource: 'admin', reason: expect.stringContaining('unchanged') });
    expect(d.version).toBe(adminVersion);
    expect(await body(d)).toBe('from admin');

    // While running, a change to the file is applied and overrides the admin change.
    const applied = d.nextLog((l) => l.msg === 'config applied');
    file.write(served('file edited while running'));
    expect(await applied).toMatchObject({ source: 'file' });
    expect(await body(d)).toBe('file edited while running');
    await d.stop();

    // Another admin change, then the file is edited while Weir is down: the file wins at start.
    await recordAdmin('from admin again');
    file.write(served('file edited while down'));
    d = await start(file.path);
    expect(d.logs.find(isSource)).toMatchObject({ from: 'file', reason: 'the config file changed since it was last applied' });
    expect(await body(d)).toBe('file edited while down');
  }, 120_000);
});
