import type { ServerResponse } from 'node:http';
import { connect as h2connect, constants, type ClientHttp2Session } from 'node:http2';
import { createDataplaneMetrics, type DataplaneMetrics } from '@weir/obs';
import { frame, getRequestBlock, goawayCode, hasHeadersFor, literalHeader, rawH2 } from '../../../../tools/jest/h2-frames';
import { startPlane, type TestPlane } from '../helpers/plane';
import { startUpstream, type TestUpstream } from '../helpers/servers';
import { forwardRoute, listener, makeSpec, TEST_HTTP2, TEST_LIMITS, upstream } from '../helpers/spec';

let origin: TestUpstream;
let plane: TestPlane | null = null;
let metrics: DataplaneMetrics;

/** `/slow` responses still open: never answered, so a cancelled stream is still being proxied. */
const unanswered = new Set<ServerResponse>();

beforeAll(async () => {
  origin = await startUpstream((req, res) => {
    if (req.url !== '/slow') {
      res.end('ok');
      return;
    }
    unanswered.add(res);
    res.once('close', () => unanswered.delete(res));
  });
});

beforeEach(() => {
  metrics = createDataplaneMetrics();
});

afterEach(async () => {
  if (plane !== null) await plane.close();
  plane = null;
});

afterAll(async () => {
  for (const res of unanswered) res.end();
  await origin.close();
});

async function startH2c(http2 = TEST_HTTP2): Promise<TestPlane> {
  return startPlane(
    makeSpec({
      listeners: [listener('h2c', { protocol: 'h2c', http2 })],
      routes: [forwardRoute('all', 'origin')],
      upstreams: [upstream('origin', [origin.port])],
    }),
    { metrics },
  );
}

function connectH2c(port: number): Promise<ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const session = h2connect(`http://127.0.0.1:${port}`);
    session.once('connect', () => resolve(session));
    session.once('error', reject);
  });
}

async function goaways(reason: string): Promise<number> {
  const json = await metrics.registry.getSingleMetric('weir_http2_goaways_total')!.get();
  return json.values.find((v) => v.labels['reason'] === reason)?.value ?? 0;
}

describe('HTTP/2 abuse protection', () => {
  it('serves h2c with prior knowledge', async () => {
    plane = await startH2c();
    const session = await connectH2c(plane.port);
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const s = session.request({ ':path': '/', ':authority': 'example.test' });
        s.on('response', (h) => resolve(Number(h[':status'])));
        s.on('error', reject);
        s.resume();
      });
      expect(status).toBe(200);
    } finally {
      session.close();
    }
  });

  it('closes an idle h2 session with GOAWAY after keepAliveTimeoutMs', async () => {
    plane = await startPlane(
      makeSpec({
        listeners: [listener('h2c', { protocol: 'h2c', limits: { ...TEST_LIMITS, keepAliveTimeoutMs: 200 } })],
        routes: [forwardRoute('all', 'origin')],
        upstreams: [upstream('origin', [origin.port])],
      }),
      { metrics },
    );
    const session = await connectH2c(plane.port);
    const goaway = new Promise<number>((resolve) => session.once('goaway', (code: number) => resolve(code)));
    const closed = new Promise<void>((resolve) => session.once('close', () => resolve()));
    expect(await goaway).toBe(constants.NGHTTP2_NO_ERROR);
    await closed;
  });

  it('sends new sessions the HTTP/2 settings of the committed spec', async () => {
    const spec = (maxConcurrentStreams: number) =>
      makeSpec({
        listeners: [listener('h2c', { protocol: 'h2c', http2: { ...TEST_HTTP2, maxConcurrentStreams } })],
        routes: [forwardRoute('all', 'origin')],
        upstreams: [upstream('origin', [origin.port])],
      });
    plane = await startPlane(spec(10), { metrics });
    const settingsOf = async (): Promise<number | undefined> => {
      // Listening from the start: the server's SETTINGS frame is the first thing it sends.
      const session = h2connect(`http://127.0.0.1:${plane!.port}`);
      const settings = await new Promise<{ maxConcurrentStreams?: number }>((resolve, reject) => {
        session.once('remoteSettings', resolve);
        session.once('error', reject);
      });
      session.close();
      return settings.maxConcurrentStreams;
    };
    expect(await settingsOf()).toBe(10);
    await plane.plane.prepare(spec(7));
    plane.plane.commit();
    expect(await settingsOf()).toBe(7);
  });

  it('sends GOAWAY (ENHANCE_YOUR_CALM) to a client that resets streams faster than its budget (rapid reset)', async () => {
    plane = await startH2c({ ...TEST_HTTP2, maxResets: 20, resetWindowMs: 60_000 });
    const { socket, received, closed } = await rawH2(plane.port, null);
    // 100 streams, each HEADERS (GET /, END_STREAM) followed at once by RST_STREAM(CANCEL).
    const frames: Buffer[] = [];
    for (let i = 0; i < 100; i++) {
      const id = 1 + 2 * i;
      frames.push(frame(0x1, 0x5, id, getRequestBlock('http', '/slow', 'example.test')));
      frames.push(frame(0x3, 0, id, Buffer.from([0, 0, 0, constants.NGHTTP2_CANCEL])));
    }
    socket.write(Buffer.concat(frames));
    await closed();
    expect(goawayCode(Buffer.concat(received))).toBe(constants.NGHTTP2_ENHANCE_YOUR_CALM);
    expect(await goaways('rapid_reset')).toBe(1);
  });

  it('lets a client cancel streams within its budget', async () => {
    plane = await startH2c({ ...TEST_HTTP2, maxResets: 50, resetWindowMs: 60_000 });
    const { socket, received } = await rawH2(plane.port, null);
    const frames: Buffer[] = [];
    for (let i = 0; i < 20; i++) {
      const id = 1 + 2 * i;
      frames.push(frame(0x1, 0x5, id, getRequestBlock('http', '/slow', 'example.test')));
      frames.push(frame(0x3, 0, id, Buffer.from([0, 0, 0, constants.NGHTTP2_CANCEL])));
    }
    // Then one ordinary request, which must be answered.
    frames.push(frame(0x1, 0x5, 41, getRequestBlock('http', '/', 'example.test')));
    socket.write(Buffer.concat(frames));
    await waitFor(() => hasHeadersFor(Buffer.concat(received), 41));
    expect(goawayCode(Buffer.concat(received))).toBe(-1);
    expect(await goaways('rapid_reset')).toBe(0);
    socket.destroy();
  });

  it('closes a connection that floods CONTINUATION frames', async () => {
    plane = await startH2c();
    const { socket, received, closed } = await rawH2(plane.port, null);
    const frames: Buffer[] = [];
    // HEADERS without END_HEADERS: :method GET (static index 2), then endless CONTINUATIONs.
    frames.push(frame(0x1, 0x1 /* END_STREAM */, 1, Buffer.from([0x82, 0x84, 0x86])));
    const literal = literalHeader('x-flood', 'a'.repeat(100));
    for (let i = 0; i < 2_000; i++) frames.push(frame(0x9, 0, 1, literal));
    socket.write(Buffer.concat(frames));
    await closed();
    expect(goawayCode(Buffer.concat(received))).not.toBe(-1);
    expect(await goaways('protocol_error')).toBe(1);
  });
});

/** Polls `check` on each turn of the event loop (bounded: 5 s). */
async function waitFor(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met within 5 s');
    await new Promise((r) => setTimeout(r, 5));
  }
}
