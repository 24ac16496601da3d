import * as fs from 'node:fs';
import { decodeSpec } from '@weir/runtime';
import { ApplyManager, InlineSpecBuilder, ThreadSpecBuilder } from '../../src/apply/index';
import { makeCertFiles, type CertFiles } from '../../../../tools/jest/cert-files';
import { CapturedLog } from '../support/captured-log';
import { FakeFleet } from './fake-fleet';

/**
 * Certificates through the apply path (issue 8): the files a config names are read at every
 * build, in the build thread too; a problem with them rejects the apply like a validation error,
 * with the pointer of the field; a renewed certificate at unchanged paths is a new version.
 */
describe('applying configs with certificates', () => {
  let certs: CertFiles;
  let log: CapturedLog;
  let fleet: FakeFleet;
  let manager: ApplyManager;

  beforeAll(() => {
    certs = makeCertFiles([
      { name: 'site', names: ['example.com'] },
      { name: 'renewed', names: ['example.com'], days: 90 },
      { name: 'other', names: ['other.example'] },
    ]);
  });
  afterAll(() => certs.remove());

  beforeEach(() => {
    log = new CapturedLog();
    fleet = new FakeFleet();
    manager = new ApplyManager({ fleet, logger: log.logger, builder: new InlineSpecBuilder() });
  });
  afterEach(async () => {
    await manager.close();
  });

  /** A config serving `live/cert.pem` and `live/key.pem`, copied from `name`'s files. */
  function install(name: string): { cert: string; key: string } {
    fs.mkdirSync(`${certs.dir}/live`, { recursive: true });
    const cert = `${certs.dir}/live/fullchain.pem`;
    const key = `${certs.dir}/live/privkey.pem`;
    fs.copyFileSync(certs.files[name]!.cert, cert);
    fs.copyFileSync(certs.files[name]!.key, key);
    return { cert, key };
  }

  function config(files: { cert: string; key: string }): Record<string, unknown> {
    return {
      workers: 1,
      certificates: [{ name: 'site', certFile: files.cert, keyFile: files.key }],
      listeners: [{ name: 'https', port: 0, tls: { certificates: ['site'] } }],
      routes: [{ name: 'hello', directResponse: { status: 200, body: 'hi' } }],
    };
  }

  it('puts the PEM text in the spec sent to the workers', async () => {
    expect.assertions(2);
    const files = install('site');
    await manager.apply(config(files), 'admin');
    const sent = decodeSpec(fleet.calls[0]?.bytes ?? new Uint8Array());
    expect(sent.certificates[0]).toMatchObject({ name: 'site', certPem: fs.readFileSync(files.cert, 'utf8'), serverNames: ['example.com'] });
    expect(sent.listeners[0]?.protocol).toBe('tls');
  });

  it('makes a renewed certificate at the same paths a new version, and an untouched one a no-op', async () => {
    expect.assertions(4);
    const files = install('site');
    const first = await manager.apply(config(files), 'file');
    const same = await manager.apply(config(files), 'file');
    expect(same).toMatchObject({ changed: false, version: first.version });
    install('renewed');
    const renewed = await manager.apply(config(files), 'file');
    expect(renewed.changed).toBe(true);
    expect(renewed.version).not.toBe(first.version);
    expect(fleet.calls).toHaveLength(2);
  });

  it('rejects a key that does not match, with its pointer, and keeps the running version', async () => {
    expect.assertions(5);
    const files = install('site');
    const running = await manager.apply(config(files), 'admin');
    fs.copyFileSync(certs.files['other']!.key, files.key);
    const err = await manager.apply(config(files), 'admin').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'WEIR_ERR_CONFIG_INVALID', pointer: '/certificates/0/keyFile' });
    expect((err as { details: unknown }).details).toEqual([{ pointer: '/certificates/0/keyFile', message: expect.stringContaining('does not belong to the certificate') }]);
    expect(manager.current?.spec.version).toBe(running.version);
    expect(fleet.calls).toHaveLength(1);
    expect(log.withMsg('config rejected')).toEqual([expect.objectContaining({ code: 'WEIR_ERR_CONFIG_INVALID' })]);
  });

  it('reports certificate problems from check (the validate endpoint) too', async () => {
    expect.assertions(1);
    const err = await manager.check(config({ cert: `${certs.dir}/missing.pem`, key: certs.files['site']!.key })).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'WEIR_ERR_CONFIG_INVALID',
      details: [{ pointer: '/certificates/0/certFile', message: `cannot read "${certs.dir}/missing.pem": no such file (ENOENT)` }],
    });
  });

  it('reads and checks the files in the build thread as well (needs tsc -b)', async () => {
    expect.assertions(2);
    const builder = new ThreadSpecBuilder();
    try {
      const good = await builder.build(config({ cert: certs.files['site']!.cert, key: certs.files['site']!.key }), { validate: true });
      expect(good.spec.certificates[0]?.keyPem).toBe(fs.readFileSync(certs.files['site']!.key, 'utf8'));
      const err = await builder.build(config({ cert: certs.files['site']!.cert, key: certs.files['other']!.key }), { validate: true }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'WEIR_ERR_CONFIG_INVALID', details: [expect.objectContaining({ pointer: '/certificates/0/keyFile' })] });
    } finally {
      await builder.close();
    }
  });
});
