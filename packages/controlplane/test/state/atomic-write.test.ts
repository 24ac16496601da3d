import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFileAtomic } from '../../src/state/index';

describe('writeFileAtomic', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weir-atomic-'));
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('creates or replaces the file, with mode 0600 by default, and leaves no temporary file', async () => {
    expect.assertions(4);
    const file = path.join(dir, 'token');
    await writeFileAtomic(file, 'one');
    await writeFileAtomic(file, Buffer.from('two'));
    expect(fs.readFileSync(file, 'utf8')).toBe('two');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir)).toEqual(['token']);
    await writeFileAtomic(path.join(dir, 'public'), 'x', { mode: 0o644 });
    expect(fs.statSync(path.join(dir, 'public')).mode & 0o777).toBe(0o644);
  });

  it('keeps the old content and removes its temporary file when the rename fails', async () => {
    expect.assertions(3);
    // A directory in the way: the temporary file is written, the rename over it fails.
    const target = path.join(dir, 'busy');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'inside'), 'keep');
    const err = await writeFileAtomic(target, 'new').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: expect.stringMatching(/^E/) });
    expect(fs.readdirSync(dir)).toEqual(['busy']);
    expect(fs.readFileSync(path.join(target, 'inside'), 'utf8')).toBe('keep');
  });
});
