import { createHash, randomBytes } from 'node:crypto';
import { request as httpRequest, type IncomingMessage, ServerResponse } from 'node:http';
import { ProxyResponse } from '../../src/index';
import { startUpstream, type TestUpstream } from '../helpers/servers';
import { send, startPlane, type TestPlane } from '../helpers/plane';
import { forwardRoute, makeSpec, upstream } from '../helpers/spec';

const MiB = 1024 * 1024;
const PAYLOAD = randomBytes(4 * MiB);
const PAYLOAD_SHA = createHash('sha256').update(PAYLOAD).digest('hex');
const BIG = 50 * MiB;
const CHUNK = Buffer.alloc(64 * 1024, 0x61);

/** Backpressure observations, shared between the upstream and the test. */
const flow = {
  upstreamWritten: 0,
  proxyBackpressured: false,
  onStall: null as ((written: number) => void) | null,
  onFinish: null as (() => void) | null,
};

function streamBig(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(BIG) });
  const pump = (): void => {
    while (flow.upstreamWritten < BIG) {
      flow.upstreamWritten += CHUNK.length;
      if (!res.write(CHUNK)) {
        // Only a stall that happens after the proxy saw its client's backpressure counts: it
        // proves the proxy stopped reading this socket because its client stopped reading.
        if (flow.proxyBackpressured && flow.onStall !== null) flow.onStall(flow.upstreamWritten);
        res.once('drain', pump);
        return;
      }
    }
    res.end(() => flow.onFinish?.());
  };
  pump();
}

describe('proxy streaming', () => {
  let up: TestUpstream;
  let plane: TestPlane;

  beforeAll(async () => {
    up = await startUpstream((req, res) => {
      if (req.url === '/upload') {
        const hash = createHash('sha256');
        let bytes = 0;
        req.on('data', (c: Buffer) => {
          bytes += c.length;
          hash.update(c);
        });
        req.on('end', () => res.end(JSON.stringify({ bytes, sha: hash.digest('hex'), te: req.headers['transfer-encoding'] ?? null })));
      } else if (req.url === '/download') {
        res.setHeader('content-type', 'application/octet-stream');
        let off = 0;
        const pump = (): void => {
          while (off < PAYLOAD.length) {
            const end = Math.min(off + 100_000, PAYLOAD.length);
            const ok = res.write(PAYLOAD.subarray(off, end));
            off = end;
            if (!ok) {
              res.once('drain', pump);
              return;
            }
          }
          res.end();
        };
        pump();
      } else if (req.url === '/small') {
        res.end('small');
      } else {
        streamBig(res);
      }
    });
    plane = await startPlane(
      makeSpec({ upstreams: [upstream('files', [up.port])], routes: [forwardRoute('files', 'files')] }),
    );
  });

  afterAll(async () => {
    await plane.close();
    await up.close();
  });

  it('streams a chunked upload of 4 MiB through, byte for byte', async () => {
    expect.assertions(3);
    const body = await new Promise<string>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: plane.port, method: 'POST', path: '/upload', agent: false }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      for (let off = 0; off < PAYLOAD.length; off += 256 * 1024) req.write(PAYLOAD.subarray(off, off + 256 * 1024));
      req.end();
    });
    const seen = JSON.parse(body) as { bytes: number; sha: string; te: string | null };
    expect(seen.bytes).toBe(PAYLOAD.length);
    expect(seen.sha).toBe(PAYLOAD_SHA);
    expect(seen.te).toBe('chunked');
  });

  it('streams a 4 MiB download through, byte for byte', async () => {
    expect.assertions(3);
    const { status, bytes, sha } = await new Promise<{ status: number; bytes: number; sha: string }>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: plane.port, path: '/download', agent: false }, (res) => {
        const hash = createHash('sha256');
        let n = 0;
        res.on('data', (c: Buffer) => {
          n += c.length;
          hash.update(c);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes: n, sha: hash.digest('hex') }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(200);
    expect(bytes).toBe(PAYLOAD.length);
    expect(sha).toBe(PAYLOAD_SHA);
  });

  it('pauses the upstream while the client does not read, then delivers all 50 MiB', async () => {
    expect.assertions(4);
    const originalWrite = ServerResponse.prototype.write;
    const spy = jest.spyOn(ProxyResponse.prototype, 'write').mockImplementation(function (
      this: ServerResponse,
      ...args: Parameters<ServerResponse['write']>
    ) {
      const ok = (originalWrite as (...a: unknown[]) => boolean).apply(this, args);
      if (!ok) flow.proxyBackpressured = true;
      return ok;
    } as ServerResponse['write']);
    const finished = new Promise<'finished'>((resolve) => (flow.onFinish = () => resolve('finished')));
    const stalled = new Promise<number>((resolve) => (flow.onStall = resolve));
    let response: IncomingMessage | null = null;
    const req = httpRequest({ host: '127.0.0.1', port: plane.port, path: '/big', agent: false }, (res) => {
      res.pause();
      response = res;
    });
    req.end();
    try {
      const first = await Promise.race([stalled, finished]);
      expect(first).not.toBe('finished');
      // Let the event loop run whole request round trips through the same proxy until the
      // upstream makes no more progress: a proxy that kept reading (and buffering) would keep
      // draining the upstream until all 50 MiB were written.
      let last = -1;
      for (let i = 0; i < 50 && flow.upstreamWritten !== last; i++) {
        last = flow.upstreamWritten;
        await send(plane.port, { path: '/small' });
      }
      expect(flow.upstreamWritten).toBeLessThan(BIG / 2);
      const received = await new Promise<number>((resolve, reject) => {
        const res = response as IncomingMessage | null;
        if (res === null) {
          reject(new Error('no response'));
          return;
        }
        let n = 0;
        res.on('data', (c: Buffer) => (n += c.length));
        res.on('end', () => resolve(n));
        res.on('error', reject);
        res.resume();
      });
      expect(received).toBe(BIG);
      expect(await finished).toBe('finished');
    } finally {
      spy.mockRestore();
    }
  });
});
