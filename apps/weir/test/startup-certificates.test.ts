import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { WeirConfig } from '@weir/config';
import type { StateLoad, StoredVersion } from '@weir/controlplane';
import { makeCertificates } from '../../../tools/certs/make-certs';
import { DEFAULT_CONFIG } from '../src/default-config';
import { checkStartupConfig, chooseStartupConfig } from '../src/startup-config';

/**
 * The start-up rule counts a config whose certificate files would be refused by the first apply
 * (missing, mismatched, expired) as invalid: a committed version whose certificate file is gone
 * gives way to a valid config file, instead of failing the start-up apply.
 */
describe('start-up configs with certificates', () => {
  let dir: string;
  let files: ReturnType<typeof makeCertificates>;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weir-startup-certs-'));
    files = makeCertificates(dir, [{ name: 'site', names: ['example.com'] }]);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  function config(certFile: string): WeirConfig {
    return {
      certificates: [{ name: 'site', certFile, keyFile: files['site']!.key }],
      listeners: [{ name: 'main', port: 0 }],
      routes: [{ name: 'r', directResponse: { status: 200 } }],
    };
  }

  it('checkStartupConfig checks the files after the schema and semantic checks', () => {
    expect(checkStartupConfig(config(files['site']!.cert))).toMatchObject({ ok: true });
    const missing = checkStartupConfig(config(path.join(dir, 'gone.pem')));
    expect(missing).toMatchObject({ ok: false, error: { code: 'WEIR_ERR_CONFIG_INVALID', pointer: '/certificates/0/certFile' } });
    expect(checkStartupConfig({ listeners: [], routes: [] })).toMatchObject({ ok: false, error: { pointer: '/listeners' } });
  });

  it('passes over a committed version whose certificate file is gone, for a valid file', () => {
    const current: StoredVersion = {
      id: '3',
      version: 'v-3',
      hash: 'h3',
      source: 'admin',
      principal: 'ci',
      committedAt: '2025-01-01T00:00:00.000Z',
      file: null,
      config: config(path.join(dir, 'gone.pem')),
    };
    const state: StateLoad = { current, lastFile: null, problems: [] };
    const choice = chooseStartupConfig({
      path: '/etc/weir/config.json',
      file: { ok: true, config: config(files['site']!.cert), hash: 'f1' },
      state,
      defaultConfig: DEFAULT_CONFIG,
    });
    expect(choice).toMatchObject({ ok: true, from: 'file', reason: 'the committed version in the state directory is invalid' });
    expect(choice.passedOver).toEqual([{ source: 'state', error: expect.objectContaining({ code: 'WEIR_ERR_CONFIG_INVALID', pointer: '/certificates/0/certFile' }) }]);
  });
});
