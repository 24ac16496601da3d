import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { WeirConfig } from '@weir/config';
import { startOtlpReceiver, type OtlpReceiver } from '../../../tools/jest/otlp-receiver';
import { send } from './harness/client';
import { daemonPerTest } from './harness/daemon-per-test';
import { TestUpstream } from './harness/upstreams';

/**
 * `deploy/examples/tracing.json` as shipped (issue 18): only the listener port (0), the upstream
 * address and the collector endpoint (test servers instead of 127.0.0.1:9001 and :4318) change.
 */
const EXAMPLE = path.resolve(__dirname, '../../../deploy/examples/tracing.json');
const daemons = daemonPerTest();

describe('deploy/examples/tracing.json', () => {
  let app: TestUpstream;
  let collector: OtlpReceiver;

  beforeAll(async () => {
    app = await TestUpstream.start('app');
    collector = await startOtlpReceiver();
  });
  afterAll(async () => {
    await app.close();
    await collector.close();
  });

  test('every request gives a server and a client span at the collector', async () => {
    const config = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8')) as WeirConfig;
    expect(config.tracing?.export?.endpoint).toBe('http://127.0.0.1:4318');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weir-tracing-'));
    const logPath = path.join(dir, 'access.log');
    const daemon = await daemons.start({
      ...config,
      logging: { ...config.logging, accessLog: { enabled: true, path: logPath } },
      listeners: config.listeners.map((l) => ({ ...l, port: 0 })),
      upstreams: [{ name: 'app', endpoints: [{ address: app.address }] }],
      tracing: { ...config.tracing, export: { endpoint: collector.url } },
    });
    for (let i = 0; i < 3; i++) expect((await send(daemon.port, { path: `/p${i}` })).body).toBe('app');
    const spans = await collector.waitForSpans(6, 10_000);
    expect(spans.filter((s) => s.kind === 2).map((s) => s.attributes['url.path']).sort()).toEqual(['/p0', '/p1', '/p2']);
    expect(spans.filter((s) => s.kind === 3)).toHaveLength(3);
    // The access log carries the same ids (it is written asynchronously: read until 3 lines).
    let lines: { traceId?: string; spanId?: string }[] = [];
    for (let i = 0; i < 500 && lines.length < 3; i++) {
      const text = fs.existsSync(logPath) ? fs.readFileSync(logPath, 'utf8') : '';
      lines = text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { traceId?: string; spanId?: string });
      if (lines.length < 3) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    fs.rmSync(dir, { recursive: true, force: true });
    const servers = spans.filter((x) => x.kind === 2).map((s) => `${s.traceId}/${s.spanId}`);
    expect(lines.map((l) => `${l.traceId}/${l.spanId}`).sort()).toEqual(servers.sort());
  }, 60_000);
});
