import * as fs from 'node:fs';
import * as path from 'node:path';
import type { WeirConfig } from '@weir/config';
import { send } from './harness/client';
import { ConfigFile, proxyConfig } from './harness/config-file';
import { Daemon, type LogLine } from './harness/daemon';

/**
 * The file provider watches the config file: saving it is enough. Editors that replace the file
 * (write a temporary file, rename it over) and those that write in place are both seen; a file
 * that is not JSON or not valid is rejected (`config rejected`) and the running version keeps
 * serving. `--no-watch` leaves reloads to SIGHUP. No sleeps: each step waits for its log line.
 */
function served(body: string): WeirConfig {
  return proxyConfig({ routes: [{ name: 'r', directResponse: { status: 200, body } }] });
}

const outcome = (line: LogLine): boolean => line.msg === 'config applied' || line.msg === 'config rejected';

describe('config file watch', () => {
  let file: ConfigFile | null = null;
  let daemon: Daemon | null = null;

  afterEach(async () => {
    await daemon?.stop();
    daemon = null;
    file?.remove();
    file = null;
  });

  it('applies a file replaced by rename and one written in place; rejects a broken one', async () => {
    expect.assertions(9);
    file = new ConfigFile(served('one'));
    const d = await Daemon.start({ configPath: file.path });
    daemon = d;
    expect(d.logs.find((l) => l.msg === 'watching the config file')).toMatchObject({ path: file.path });

    let next = d.nextLog(outcome);
    file.write(served('two')); // temp file + rename, as editors and deploy tools do
    expect(await next).toMatchObject({ msg: 'config applied', source: 'file' });
    expect((await send(d.port)).body).toBe('two');

    next = d.nextLog(outcome);
    fs.writeFileSync(file.path, JSON.stringify(served('three'))); // in place
    expect(await next).toMatchObject({ msg: 'config applied', source: 'file' });
    expect((await send(d.port)).body).toBe('three');

    next = d.nextLog(outcome);
    fs.writeFileSync(file.path, '{ "listeners": [ not json');
    expect(await next).toMatchObject({ msg: 'config rejected', source: 'file', code: 'WEIR_ERR_CONFIG_PARSE' });
    next = d.nextLog(outcome);
    fs.writeFileSync(file.path, JSON.stringify({ listeners: [{ name: 'main', port: 99999 }], routes: [] }));
    expect(await next).toMatchObject({ msg: 'config rejected', source: 'file', code: 'WEIR_ERR_CONFIG_INVALID' });
    expect((await send(d.port)).body).toBe('three');

    next = d.nextLog(outcome);
    file.write(served('four'));
    expect(await next).toMatchObject({ msg: 'config applied' });
  }, 60_000);

  it('with --no-watch, only SIGHUP reloads the file', async () => {
    expect.assertions(3);
    file = new ConfigFile(served('one'));
    const d = await Daemon.start({ configPath: file.path, args: ['--no-watch'] });
    daemon = d;
    expect(d.logs.some((l) => l.msg === 'watching the config file')).toBe(false);
    fs.writeFileSync(path.join(file.dir, 'weir.json'), JSON.stringify(served('two')));
    const next = d.nextLog(outcome);
    d.signal('SIGHUP');
    expect(await next).toMatchObject({ msg: 'config applied', source: 'file' });
    expect((await send(d.port)).body).toBe('two');
  }, 60_000);
});
