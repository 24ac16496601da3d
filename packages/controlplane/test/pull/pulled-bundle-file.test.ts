import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { signBundle, signingKeyFromSeed } from '@weir/bundle';
import { PulledBundleFile, fileSha256, type PulledBundle } from '../../src/pull/index';

const KEY = signingKeyFromSeed('release', Buffer.alloc(32, 1));
const CREATED = Date.parse('2026-12-06T17:00:00.000Z');

function bundle(revision: number): Buffer {
  return signBundle({ revision, createdAt: CREATED, config: { listeners: [{ name: 'public', port: 8080 }], routes: [] } }, [KEY]).bytes;
}

describe('PulledBundleFile', () => {
  it('keeps the bundle bytes and metadata atomically, and reads a damaged file as absent', async () => {
    expect.assertions(3);
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'weir-pulled-'));
    try {
      const file = new PulledBundleFile(dir);
      await expect(file.load()).resolves.toBeNull();
      const bytes = bundle(9);
      const kept: PulledBundle = { bytes, revision: 9, fileSha256: fileSha256(bytes), source: 'http://x/b', mark: { etag: '"e"', lastModified: null }, verifiedAt: new Date(CREATED).toISOString() };
      await file.save(kept);
      await expect(file.load()).resolves.toEqual(kept);
      const raw = await fs.readFile(file.file);
      raw[raw.length - 5] = (raw[raw.length - 5] as number) ^ 1;
      await fs.writeFile(file.file, raw);
      await expect(file.load()).resolves.toBeNull();
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
