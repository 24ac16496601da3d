import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { WeirConfig } from '@weir/config';
import { StateStore, type RecordInput } from '../../src/state/index';

/**
 * The state directory: atomic versions with checksums, history trimmed to N, and a load that
 * survives crashes and damage (a leftover temporary file, a truncated or corrupted newest
 * version) by reporting the problem and falling back to the newest intact version.
 */
function config(body: string): WeirConfig {
  return { listeners: [{ name: 'main', port: 0 }], routes: [{ name: 'r', directResponse: { status: 200, body } }] };
}

function input(n: number, extra: Partial<RecordInput> = {}): RecordInput {
  return { config: config(`body ${n}`), spec: { version: `v-${n}`, hash: `hash-${n}` }, source: 'admin', principal: 'ci', ...extra };
}

describe('StateStore', () => {
  let dir: string;
  let clock: number;
  const wallClock = (): number => clock;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weir-state-test-'));
    clock = Date.UTC(2025, 0, 2, 3, 4, 5);
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const versionFiles = (): string[] => fs.readdirSync(path.join(dir, 'state', 'versions')).sort();

  async function openStore(historySize = 20): Promise<StateStore> {
    const store = await StateStore.open(path.join(dir, 'state'), { historySize, wallClock });
    await store.load();
    return store;
  }

  it('creates the directory (mode 0700) and starts empty', async () => {
    expect.assertions(4);
    const store = await StateStore.open(path.join(dir, 'a', 'b'));
    expect(fs.statSync(path.join(dir, 'a', 'b')).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(dir, 'a', 'b', 'versions')).mode & 0o777).toBe(0o700);
    await expect(store.load()).resolves.toEqual({ current: null, lastFile: null, problems: [] });
    expect(store.list()).toEqual([]);
  });

  it('fails with WEIR_ERR_STATE_IO when the directory cannot be created', async () => {
    expect.assertions(1);
    const blocker = path.join(dir, 'file');
    fs.writeFileSync(blocker, 'not a directory');
    await expect(StateStore.open(path.join(blocker, 'state'))).rejects.toMatchObject({ code: 'WEIR_ERR_STATE_IO' });
  });

  it('records versions, lists them newest first and reads them back after a reopen', async () => {
    expect.assertions(6);
    const store = await openStore();
    const first = await store.record(input(1, { source: 'file', principal: null, file: { path: '/etc/weir.json', hash: 'f1' } }));
    clock += 1000;
    await store.record(input(2));
    expect(first).toMatchObject({ id: '1', version: 'v-1', source: 'file', principal: null, committedAt: '2025-01-02T03:04:05.000Z' });
    expect(store.list()).toEqual([
      { id: '2', version: 'v-2', hash: 'hash-2', source: 'admin', principal: 'ci', committedAt: '2025-01-02T03:04:06.000Z', current: true },
      { id: '1', version: 'v-1', hash: 'hash-1', source: 'file', principal: null, committedAt: '2025-01-02T03:04:05.000Z', current: false },
    ]);
    expect(fs.statSync(path.join(dir, 'state', 'versions', versionFiles()[0] as string)).mode & 0o777).toBe(0o600);

    const reopened = await StateStore.open(path.join(dir, 'state'));
    const loaded = await reopened.load();
    // The file mark is carried over by the admin version: it names the last file applied.
    expect(loaded).toEqual({
      current: {
        id: '2',
        version: 'v-2',
        hash: 'hash-2',
        source: 'admin',
        principal: 'ci',
        committedAt: '2025-01-02T03:04:06.000Z',
        file: { path: '/etc/weir.json', hash: 'f1' },
        config: config('body 2'),
      },
      lastFile: { path: '/etc/weir.json', hash: 'f1' },
      problems: [],
    });
    await expect(reopened.get('1')).resolves.toMatchObject({ id: '1', config: config('body 1'), source: 'file' });
    await expect(reopened.get('99')).resolves.toBeNull();
  });

  it('keeps the last historySize versions and never reuses an id', async () => {
    expect.assertions(4);
    const store = await openStore(3);
    for (let n = 1; n <= 5; n++) await store.record(input(n));
    expect(store.list().map((v) => v.id)).toEqual(['5', '4', '3']);
    expect(versionFiles()).toHaveLength(3);
    store.historySize = 2;
    await store.record(input(6));
    expect(store.list().map((v) => v.id)).toEqual(['6', '5']);
    const reopened = await openStore(2);
    expect((await reopened.record(input(7))).id).toBe('7');
  });

  it('ignores and removes a temporary file left by a crash before the rename', async () => {
    expect.assertions(4);
    const store = await openStore();
    await store.record(input(1));
    const leftover = path.join(dir, 'state', 'versions', '.000000000002.version.abcdef123456.tmp');
    fs.writeFileSync(leftover, 'half a vers');
    const loaded = await (await StateStore.open(path.join(dir, 'state'))).load();
    expect(loaded.current).toMatchObject({ id: '1', config: config('body 1') });
    expect(loaded.problems).toEqual([]);
    expect(fs.existsSync(leftover)).toBe(false);
    expect(versionFiles()).toEqual(['000000000001.version']);
  });

  it('detects a truncated newest version, reports it, and loads the previous one', async () => {
    expect.assertions(4);
    const store = await openStore();
    await store.record(input(1));
    await store.record(input(2));
    const newest = path.join(dir, 'state', 'versions', '000000000002.version');
    const bytes = fs.readFileSync(newest);
    fs.writeFileSync(newest, bytes.subarray(0, bytes.length - 20));
    const reopened = await StateStore.open(path.join(dir, 'state'));
    const loaded = await reopened.load();
    expect(loaded.current).toMatchObject({ id: '1', config: config('body 1') });
    expect(loaded.problems).toEqual([{ file: newest, fault: 'truncated', message: expect.any(String) }]);
    expect(reopened.list().map((v) => v.id)).toEqual(['1']);
    // The damaged id is not reused.
    expect((await reopened.record(input(3))).id).toBe('3');
  });

  it('detects a changed byte by its checksum', async () => {
    expect.assertions(2);
    const store = await openStore();
    await store.record(input(1));
    await store.record(input(2));
    const newest = path.join(dir, 'state', 'versions', '000000000002.version');
    fs.writeFileSync(newest, fs.readFileSync(newest, 'utf8').replace('body 2', 'body X'));
    const loaded = await (await StateStore.open(path.join(dir, 'state'))).load();
    expect(loaded.current).toMatchObject({ id: '1' });
    expect(loaded.problems).toEqual([expect.objectContaining({ fault: 'checksum' })]);
  });

  it('loads nothing, without throwing, when every version is damaged; get() of a damaged one throws WEIR_ERR_STATE_IO', async () => {
    expect.assertions(3);
    const store = await openStore();
    await store.record(input(1));
    await store.record(input(2));
    fs.writeFileSync(path.join(dir, 'state', 'versions', '000000000002.version'), '');
    fs.writeFileSync(path.join(dir, 'state', 'versions', '000000000001.version'), 'garbage\n');
    const loaded = await (await StateStore.open(path.join(dir, 'state'))).load();
    expect(loaded).toEqual({ current: null, lastFile: null, problems: [expect.objectContaining({ fault: 'truncated' }), expect.objectContaining({ fault: 'truncated' })] });

    const again = await openStore();
    await again.record(input(3));
    const third = path.join(dir, 'state', 'versions', '000000000003.version');
    fs.writeFileSync(third, fs.readFileSync(third, 'utf8').replace('body 3', 'body Z'));
    await expect(again.get('3')).rejects.toMatchObject({ code: 'WEIR_ERR_STATE_IO' });
    expect(again.list().map((v) => v.id)).toEqual(['3']);
  });

  it('serialises concurrent records', async () => {
    expect.assertions(2);
    const store = await openStore();
    const ids = await Promise.all([1, 2, 3, 4].map((n) => store.record(input(n)).then((v) => v.id)));
    expect(ids).toEqual(['1', '2', '3', '4']);
    expect(versionFiles()).toHaveLength(4);
  });

  it('rejects a history size outside 1-1000', async () => {
    expect.assertions(2);
    await expect(StateStore.open(dir, { historySize: 0 })).rejects.toMatchObject({ code: 'WEIR_ERR_INTERNAL' });
    const store = await openStore();
    expect(() => {
      store.historySize = 1001;
    }).toThrow(expect.objectContaining({ code: 'WEIR_ERR_INTERNAL' }));
  });
});
