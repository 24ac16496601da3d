import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileProvider, type ApplyOptions, type ApplyOutcome, type ConfigSource } from '@weir/controlplane';
import { WeirError } from '@weir/errors';
import { createLogger } from '@weir/obs';
import { FileReloader, type FileApplier } from '../src/file-reloader';

/** SIGHUP reloads through FileReloader: every refused file is logged and counted by its code. */
class RecordingApplier implements FileApplier {
  readonly calls: { config: unknown; source: ConfigSource; options: ApplyOptions | undefined }[] = [];
  failWith: WeirError | null = null;

  async apply(config: unknown, source: ConfigSource, options?: ApplyOptions): Promise<ApplyOutcome> {
    this.calls.push({ config, source, options });
    if (this.failWith !== null) throw this.failWith;
    return { changed: false, version: 'v', hash: 'h', spec: {} as never };
  }
}

describe('FileReloader (SIGHUP)', () => {
  let dir: string;
  let file: string;
  let lines: { msg: string; [k: string]: unknown }[];
  let codes: string[];
  let applier: RecordingApplier;
  let reloader: FileReloader;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weir-reloader-'));
    file = path.join(dir, 'weir.json');
    lines = [];
    codes = [];
    applier = new RecordingApplier();
    const logger = createLogger({ level: 'info', name: 'test', destination: { write: (chunk: string) => void lines.push(JSON.parse(chunk)) } });
    reloader = new FileReloader({ provider: new FileProvider(file), applier, logger, rejected: (code) => void codes.push(code), watch: false, initialHash: null });
  });

  afterEach(() => {
    reloader.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('applies the file with source file and its content hash', async () => {
    expect.assertions(1);
    fs.writeFileSync(file, '{"a":1}');
    await reloader.reload();
    expect(applier.calls).toEqual([
      { config: { a: 1 }, source: 'file', options: { file: { path: file, hash: createHash('sha256').update('{"a":1}').digest('hex') } } },
    ]);
  });

  it('logs and counts a missing file, a file that is not JSON, and one the apply manager refuses', async () => {
    expect.assertions(3);
    await reloader.reload();
    fs.writeFileSync(file, '{"a":');
    await reloader.reload();
    fs.writeFileSync(file, '{"a":2}');
    applier.failWith = new WeirError('WEIR_ERR_CONFIG_INVALID', 'bad');
    await reloader.reload();
    expect(codes).toEqual(['WEIR_ERR_CONFIG_READ', 'WEIR_ERR_CONFIG_PARSE', 'WEIR_ERR_CONFIG_INVALID']);
    // The apply manager logs its own refusals; the reloader logs the ones it found itself.
    expect(lines.filter((l) => l.msg === 'config rejected').map((l) => l['code'])).toEqual(['WEIR_ERR_CONFIG_READ', 'WEIR_ERR_CONFIG_PARSE']);
    expect(applier.calls).toHaveLength(1);
  });

  it('does not watch with watch: false', () => {
    reloader.start();
    expect(lines.some((l) => l.msg === 'watching the config file')).toBe(false);
  });
});
