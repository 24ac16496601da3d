import { Agent, request as httpRequest } from 'node:http';
import { startUpstream, type TestUpstream } from '../helpers/servers';
import { send, startPlane, type TestPlane } from '../helpers/plane';
import { forwardRoute, makeSpec, upstream } from '../helpers/spec';

describe('proxy HTTP semantics', () => {
  let up: TestUpstream;
  let plane: TestPlane;

  beforeAll(async () => {
    up = await startUpstream((req, res) => {
      if (req.url === '/304') {
        res.writeHead(304, { etag: '"v1"' });
        res.end();
        return;
      }
      if (req.url === '/204') {
        res.writeHead(204);
        res.end();
        return;
      }
      let bytes = 0;
      req.on('data', (c: Buffer) => (bytes += c.length));
      req.on('end', () => {
        const body = JSON.stringify({ method: req.method, bytes, expect: req.headers.expect ?? null, remote: req.socket.remotePort });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(req.method === 'HEAD' ? undefined : body);
      });
    });
    plane = await startPlane(makeSpec({ upstreams: [upstream('up', [up.port])], routes: [forwardRoute('all', 'up')] }));
  });

  afterAll(async () => {
    await plane.close();
    await up.close();
  });

  it('forwards HEAD without a body but with the upstream content-length', async () => {
    expect.assertions(3);
    const res = await send(plane.port, { method: 'HEAD', path: '/x' });
    expect(res.status).toBe(200);
    expect(Number(res.headers['content-length'])).toBeGreaterThan(0);
    expect(res.body.length).toBe(0);
  });

  it('passes 304 and 204 through without a body', async () => {
    expect.assertions(4);
    const notModified = await send(plane.port, { path: '/304' });
    const noContent = await send(plane.port, { path: '/204' });
    expect(notModified.status).toBe(304);
    expect(notModified.headers['etag']).toBe('"v1"');
    expect(noContent.status).toBe(204);
    expect(noContent.body.length + notModified.body.length).toBe(0);
  });

  it('answers Expect: 100-continue itself and forwards the body without Expect', async () => {
    expect.assertions(3);
    const result = await new Promise<{ continued: boolean; body: string }>((resolve, reject) => {
      let continued = false;
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: plane.port,
          method: 'PUT',
          path: '/upload',
          agent: false,
          headers: { expect: '100-continue', 'content-length': '5' },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => resolve({ continued, body: text }));
        },
      );
      req.on('continue', () => {
        continued = true;
        req.end('hello');
      });
      req.on('error', reject);
    });
    const seen = JSON.parse(result.body) as { bytes: number; expect: string | null };
    expect(result.continued).toBe(true);
    expect(seen.bytes).toBe(5);
    expect(seen.expect).toBeNull();
  });

  it('serves many requests on one keep-alive client connection over pooled upstream connections', async () => {
    expect.assertions(2);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const clientPorts = new Set<number>();
    const upstreamPorts = new Set<number>();
    try {
      for (let i = 0; i < 5; i++) {
        const body = await new Promise<string>((resolve, reject) => {
          const req = httpRequest({ host: '127.0.0.1', port: plane.port, path: `/k${i}`, agent }, (res) => {
            clientPorts.add(res.socket.localPort ?? 0);
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => (text += c));
            res.on('end', () => resolve(text));
          });
          req.on('error', reject);
          req.end();
        });
        upstreamPorts.add((JSON.parse(body) as { remote: number }).remote);
      }
    } finally {
      agent.destroy();
    }
    expect(clientPorts.size).toBe(1);
    expect(upstreamPorts.size).toBe(1);
  });
});
