import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AccessLog, type AccessRecord } from '@weir/obs';

/** The access log's trace fields (issue 18): `traceId` / `spanId` only when the request has them. */

function record(overrides: Partial<AccessRecord> = {}): AccessRecord {
  return {
    time: Date.UTC(2025, 0, 2, 3, 4, 5, 678),
    method: 'GET',
    path: '/',
    host: 'example.com',
    status: 200,
    route: 'api',
    upstream: 'backend',
    endpoint: '127.0.0.1:9000',
    durationMs: 1,
    bytesSent: 2,
    remoteAddress: '127.0.0.1',
    ...overrides,
  };
}

describe('AccessLog trace fields', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weir-access-trace-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes traceId and spanId after the other optional fields and before code, only when set', async () => {
    expect.assertions(4);
    const file = path.join(dir, 'access.log');
    const log = new AccessLog({ path: file });
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const spanId = '00f067aa0ba902b7';
    log.write(record({ requestId: 'r1', traceId, spanId, code: 'WEIR_ERR_UPSTREAM_CONNECT', status: 502 }));
    log.write(record());
    log.write(record({ traceId: null, spanId: null }));
    log.write(record({ traceId: '', spanId: undefined }));
    await log.close();
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toMatch(new RegExp(`"requestId":"r1","traceId":"${traceId}","spanId":"${spanId}","code":"WEIR_ERR_UPSTREAM_CONNECT"}$`));
    expect(JSON.parse(lines[0] as string)).toMatchObject({ traceId, spanId });
    expect(lines.slice(1).map((l) => Object.keys(JSON.parse(l) as object).filter((k) => k === 'traceId' || k === 'spanId'))).toEqual([[], [], []]);
    expect(lines).toHaveLength(4);
  });
});
