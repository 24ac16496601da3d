import { request } from 'node:http';
import { connect as h2connect } from 'node:http2';
import { startPlane, type TestPlane } from '../helpers/plane';
import { startUpstream, type TestUpstream } from '../helpers/servers';
import { forwardRoute, listener, makeSpec, upstream } from '../helpers/spec';

let origin: TestUpstream;
let plane: TestPlane;

beforeAll(async () => {
  origin = await startUpstream((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', trailer: 'x-checksum' });
    res.write('part one, ');
    res.addTrailers({ 'x-checksum': 'abc123' });
    res.end('part two');
  });
  plane = await startPlane(
    makeSpec({
      listeners: [listener('web'), listener('h2c', { protocol: 'h2c' })],
      routes: [forwardRoute('all', 'origin')],
      upstreams: [upstream('origin', [origin.port])],
    }),
  );
});

afterAll(async () => {
  await plane.close();
  await origin.close();
});

describe('response trailers', () => {
  it('reach an HTTP/1.1 client after the last chunk', async () => {
    const got = await new Promise<{ body: string; trailers: NodeJS.Dict<string> }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: plane.ports.get('web')!, path: '/', agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ body, trailers: res.trailers }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(got.body).toBe('part one, part two');
    expect(got.trailers['x-checksum']).toBe('abc123');
  });

  it('reach an HTTP/2 client as trailing headers', async () => {
    const session = h2connect(`http://127.0.0.1:${plane.ports.get('h2c')!}`);
    try {
      const got = await new Promise<{ body: string; trailers: Record<string, unknown> }>((resolve, reject) => {
        const stream = session.request({ ':path': '/', ':authority': 'example.test' });
        let body = '';
        let trailers: Record<string, unknown> = {};
        stream.setEncoding('utf8');
        stream.on('data', (c: string) => (body += c));
        stream.on('trailers', (t) => (trailers = t));
        stream.on('end', () => resolve({ body, trailers }));
        stream.on('error', reject);
      });
      expect(got.body).toBe('part one, part two');
      expect(got.trailers['x-checksum']).toBe('abc123');
    } finally {
      session.close();
    }
  });
});
