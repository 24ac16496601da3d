import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AccessLog, createAccessLog } from '@weir/obs';
import type { AccessRecord } from '@weir/obs';

function record(overrides: Partial<AccessRecord> = {}): AccessRecord {
  return {
    time: Date.UTC(2025, 0, 2, 3, 4, 5, 678),
    method: 'GET',
    path: '/api/items?id=1',
    host: 'example.com',
    status: 200,
    route: 'api',
    upstream: 'backend',
    endpoint: '127.0.0.1:9000',
    durationMs: 1.23456,
    bytesSent: 512,
    remoteAddress: '127.0.0.1',
    ...overrides,
  };
}

function readLines(file: string): Record<string, unknown>[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('AccessLog', () => {
  let dir: string;
  let file: string;
  const open: AccessLog[] = [];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weir-access-'));
    file = path.join(dir, 'access.log');
  });

  afterEach(async () => {
    await Promise.all(open.splice(0).map((log) => log.close()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function openLog(options: ConstructorParameters<typeof AccessLog>[0]): AccessLog {
    const log = new AccessLog(options);
    open.push(log);
    return log;
  }

  it('writes one JSON line per record, in field order, and flushes on close', async () => {
    expect.assertions(3);
    const log = openLog({ path: file });
    log.write(record());
    log.write(record({ status: 502, code: 'WEIR_ERR_UPSTREAM_CONNECT', upstream: 'backend', durationMs: 2 }));
    await log.close();
    const text = fs.readFileSync(file, 'utf8');
    expect(text.split('\n')[0]).toBe(
      '{"time":"2025-01-02T03:04:05.678Z","method":"GET","path":"/api/items?id=1","host":"example.com","status":200,' +
        '"route":"api","upstream":"backend","endpoint":"127.0.0.1:9000","durationMs":1.235,"bytesSent":512,"remoteAddress":"127.0.0.1"}',
    );
    expect(readLines(file)[1]).toMatchObject({ status: 502, code: 'WEIR_ERR_UPSTREAM_CONNECT', durationMs: 2 });
    expect(text.endsWith('\n')).toBe(true);
  });

  it('writes many lines queued without waiting, all of them, in order', async () => {
    expect.assertions(2);
    const log = openLog({ path: file });
    for (let i = 0; i < 5000; i++) log.write(record({ bytesSent: i, time: 1_700_000_000_000 + (i >> 4) }));
    await log.close();
    const lines = readLines(file);
    expect(lines).toHaveLength(5000);
    expect(lines.every((line, i) => line['bytesSent'] === i)).toBe(true);
  });

  it('escapes strings that need it and leaves out an empty or null code', async () => {
    expect.assertions(3);
    const log = openLog({ path: file });
    log.write(record({ path: '/a"b\\c\n\u0001\u2028\ud800', host: 'Ünïcødé', code: null }));
    log.write(record({ code: '' }));
    log.write(record({ durationMs: Number.NaN, bytesSent: Infinity }));
    await log.close();
    const [first, second, third] = readLines(file);
    expect(first).toMatchObject({ path: '/a"b\\c\n\u0001\u2028\ud800', host: 'Ünïcødé' });
    expect('code' in (first as object) || 'code' in (second as object)).toBe(false);
    expect(third).toMatchObject({ durationMs: 0, bytesSent: 0 });
  });

  it('writes requestId, principal and traffic when set (escaped like any string), and leaves them out otherwise', async () => {
    expect.assertions(2);
    const log = openLog({ path: file });
    log.write(record({ requestId: 'req-1', principal: 'al"ice', traffic: 'override,mirrored', code: 'WEIR_ERR_RATE_LIMITED' }));
    log.write(record({ requestId: null, principal: '', traffic: null }));
    await log.close();
    const [first, second] = readLines(file);
    expect(first).toMatchObject({ requestId: 'req-1', principal: 'al"ice', traffic: 'override,mirrored', code: 'WEIR_ERR_RATE_LIMITED' });
    expect(['requestId', 'principal', 'traffic'].some((k) => k in (second as object))).toBe(false);
  });

  it('appends to an existing file', async () => {
    expect.assertions(1);
    fs.writeFileSync(file, '{"old":true}\n');
    const log = openLog({ path: file });
    await log.ready();
    log.write(record());
    await log.close();
    expect(readLines(file).map((l) => 'old' in l)).toEqual([true, false]);
  });

  it('ignores writes after close, and close is idempotent', async () => {
    expect.assertions(2);
    const log = openLog({ path: file });
    log.write(record());
    const closing = log.close();
    expect(log.close()).toBe(closing);
    await closing;
    log.write(record());
    expect(readLines(file)).toHaveLength(1);
  });

  it('rejects ready() with WEIR_ERR_INTERNAL when the file cannot be opened, and closes quietly', async () => {
    expect.assertions(2);
    const log = openLog({ path: path.join(dir, 'missing', 'access.log') });
    await expect(log.ready()).rejects.toMatchObject({ code: 'WEIR_ERR_INTERNAL' });
    log.write(record());
    await expect(log.close()).resolves.toBeUndefined();
  });

  it('drops and counts lines beyond the buffer limit instead of growing without bound', async () => {
    expect.assertions(2);
    const log = openLog({ path: file, maxBufferedBytes: 1000 });
    // One event-loop turn's lines reach the destination together: 10 lines (~2.5 KB) exceed the
    // limit and are dropped; a later single line fits.
    for (let i = 0; i < 10; i++) log.write(record());
    await new Promise((resolve) => setImmediate(resolve));
    expect(log.dropped()).toBe(10);
    log.write(record({ status: 204 }));
    await log.close();
    expect(readLines(file).map((l) => l['status'])).toEqual([204]);
  });

  it('reopens the file after rotation: queued lines go to the old file, new ones to the new file', async () => {
    expect.assertions(2);
    const log = openLog({ path: file });
    await log.ready();
    log.write(record({ status: 201 }));
    fs.renameSync(file, file + '.1');
    log.reopen();
    log.write(record({ status: 202 }));
    await log.close();
    expect(readLines(file + '.1').map((l) => l['status'])).toEqual([201]);
    expect(readLines(file).map((l) => l['status'])).toEqual([202]);
  });

  it('reports write errors through onError and keeps accepting lines (Linux /dev/full)', async () => {
    expect.assertions(2);
    let log: AccessLog | null = null;
    const code = await new Promise<string | undefined>((resolve) => {
      log = openLog({ path: '/dev/full', onError: (err) => resolve((err as NodeJS.ErrnoException).code) });
      log.write(record());
    });
    expect(code).toBe('ENOSPC');
    expect(() => (log as unknown as AccessLog).write(record())).not.toThrow();
  });

  it('can target stdout (not written to here) and close without closing fd 1', async () => {
    expect.assertions(2);
    const log = openLog({});
    await log.ready();
    log.reopen();
    await expect(log.close()).resolves.toBeUndefined();
    expect(() => fs.fstatSync(1)).not.toThrow();
  });
});

describe('createAccessLog', () => {
  it('returns null when the access log is disabled', () => {
    expect(createAccessLog({ enabled: false, path: 'stdout' })).toBeNull();
    expect(createAccessLog({})).toBeNull();
  });

  it('returns an AccessLog when enabled', async () => {
    expect.assertions(1);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weir-access-'));
    const log = createAccessLog({ enabled: true, path: path.join(dir, 'a.log') });
    expect(log).toBeInstanceOf(AccessLog);
    await log?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
