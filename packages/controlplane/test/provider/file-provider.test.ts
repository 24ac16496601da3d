import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FileProvider } from '../../src/provider/index';

describe('FileProvider', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'weir-file-provider-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads and parses the file without validating it', async () => {
    expect.assertions(2);
    const file = path.join(dir, 'weir.json');
    await writeFile(file, '\ufeff{"listeners": [], "anything": true}\n');
    const provider = new FileProvider(file);
    expect(provider.path).toBe(file);
    await expect(provider.load()).resolves.toEqual({ listeners: [], anything: true });
  });

  it('reports a missing file or a directory as WEIR_ERR_CONFIG_READ', async () => {
    expect.assertions(3);
    const missing = await new FileProvider(path.join(dir, 'nope.json')).load().catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: 'WEIR_ERR_CONFIG_READ', cause: { code: 'ENOENT' } });
    await expect(new FileProvider(dir).load()).rejects.toMatchObject({ code: 'WEIR_ERR_CONFIG_READ' });
    expect((missing as Error).message).toContain('nope.json');
  });

  it('reports text that is not JSON as WEIR_ERR_CONFIG_PARSE, with the line', async () => {
    expect.assertions(2);
    const file = path.join(dir, 'broken.json');
    await writeFile(file, '{\n  "listeners": [\n    {"name": "main",}\n  ]\n}\n');
    const err = await new FileProvider(file).load().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'WEIR_ERR_CONFIG_PARSE' });
    expect((err as Error).message).toMatch(/line 3/);
  });
});
