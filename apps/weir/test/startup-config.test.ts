import type { WeirConfig } from '@weir/config';
import type { StateLoad, StoredVersion } from '@weir/controlplane';
import { WeirError } from '@weir/errors';
import { DEFAULT_CONFIG } from '../src/default-config';
import { chooseStartupConfig, type FileAtStart } from '../src/startup-config';

/**
 * The start-up rule, case by case (operations.md, "Which config Weir starts with"): which config
 * the primary applies first, from the --config file, the state directory or the embedded default.
 */
const PATH = '/etc/weir/config.json';

function config(body: string): WeirConfig {
  return { listeners: [{ name: 'main', port: 0 }], routes: [{ name: 'r', directResponse: { status: 200, body } }] };
}

function stored(body: string, lastFile: StoredVersion['file'], source: StoredVersion['source'] = 'admin'): StoredVersion {
  return { id: '7', version: 'v-7', hash: 'h7', source, principal: 'ci', committedAt: '2025-01-01T00:00:00.000Z', file: lastFile, config: config(body) };
}

function state(current: StoredVersion | null): StateLoad {
  return { current, lastFile: current?.file ?? null, problems: [] };
}

const validFile = (body: string, hash = 'f1'): FileAtStart => ({ ok: true, config: config(body), hash });
const brokenFile: FileAtStart = { ok: false, error: new WeirError('WEIR_ERR_CONFIG_READ', 'gone'), hash: null };

describe('chooseStartupConfig', () => {
  it('without --config: the embedded default on an empty state directory, else the last committed version', () => {
    expect(chooseStartupConfig({ path: null, file: null, state: state(null), defaultConfig: DEFAULT_CONFIG })).toMatchObject({
      ok: true,
      from: 'default',
      config: DEFAULT_CONFIG,
      stored: null,
      file: null,
    });
    const admin = stored('admin change', null);
    expect(chooseStartupConfig({ path: null, file: null, state: state(admin), defaultConfig: DEFAULT_CONFIG })).toMatchObject({
      ok: true,
      from: 'state',
      config: config('admin change'),
      stored: admin,
    });
  });

  it('a file not applied before wins (first start, another file, or edited while Weir was down)', () => {
    const cases: [StateLoad, string][] = [
      [state(null), 'no committed version in the state directory'],
      [state(stored('x', null, 'default')), 'no config file was applied before'],
      [state(stored('x', { path: '/other.json', hash: 'f1' })), 'another config file was applied before'],
      [state(stored('x', { path: PATH, hash: 'old' })), 'the config file changed since it was last applied'],
    ];
    for (const [load, reason] of cases) {
      expect(chooseStartupConfig({ path: PATH, file: validFile('file'), state: load, defaultConfig: DEFAULT_CONFIG })).toEqual({
        ok: true,
        from: 'file',
        config: config('file'),
        stored: null,
        file: { path: PATH, hash: 'f1' },
        reason,
        passedOver: [],
      });
    }
  });

  it('the file last applied, unchanged, does not undo later changes: the last committed version wins', () => {
    const admin = stored('admin change', { path: PATH, hash: 'f1' });
    expect(chooseStartupConfig({ path: PATH, file: validFile('file'), state: state(admin), defaultConfig: DEFAULT_CONFIG })).toMatchObject({
      ok: true,
      from: 'state',
      config: config('admin change'),
      stored: admin,
      file: null,
    });
  });

  it('a missing or invalid file falls back to the last committed version, and reports the file', () => {
    const last = stored('last', { path: PATH, hash: 'f1' }, 'file');
    const choice = chooseStartupConfig({ path: PATH, file: brokenFile, state: state(last), defaultConfig: DEFAULT_CONFIG });
    expect(choice).toMatchObject({ ok: true, from: 'state', config: config('last') });
    expect(choice.passedOver).toEqual([{ source: 'file', error: expect.objectContaining({ code: 'WEIR_ERR_CONFIG_READ' }) }]);
    expect(chooseStartupConfig({ path: PATH, file: brokenFile, state: state(null), defaultConfig: DEFAULT_CONFIG })).toMatchObject({
      ok: false,
      passedOver: [{ source: 'file' }],
    });
  });

  it('a committed version that no longer validates gives way to a valid file, else start-up fails', () => {
    const invalid: StoredVersion = { ...stored('x', { path: PATH, hash: 'f1' }), config: { listeners: [], routes: [] } };
    const withFile = chooseStartupConfig({ path: PATH, file: validFile('file'), state: state(invalid), defaultConfig: DEFAULT_CONFIG });
    expect(withFile).toMatchObject({ ok: true, from: 'file', reason: 'the committed version in the state directory is invalid' });
    expect(withFile.passedOver).toEqual([{ source: 'state', error: expect.objectContaining({ code: 'WEIR_ERR_CONFIG_INVALID' }) }]);
    expect(chooseStartupConfig({ path: null, file: null, state: state(invalid), defaultConfig: DEFAULT_CONFIG })).toMatchObject({ ok: false });
  });
});
