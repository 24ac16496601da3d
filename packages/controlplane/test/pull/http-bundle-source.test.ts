import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpBundleSource } from '../../src/pull/index';

describe('HttpBundleSource', () => {
  let server: Server;
  let url: string;
  const requests: IncomingHttpHeaders[] = [];
  const LAST_MODIFIED = 'Sun, 06 Dec 2026 17:00:00 GMT';

  beforeEach(async () => {
    requests.length = 0;
    server = createServer((req, res) => {
      requests.push(req.headers);
      if (req.headers['if-modified-since'] === LAST_MODIFIED) res.writeHead(304).end();
      else res.writeHead(200, { 'last-modified': LAST_MODIFIED, 'content-length': 15 }).end('{"bundle":true}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/b`;
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('sends If-Modified-Since from a Last-Modified answer (servers without ETags) and reads 304 as unchanged', async () => {
    expect.assertions(5);
    const source = new HttpBundleSource({ url, timeoutMs: 2000, maxBytes: 1024 });
    try {
      const first = await source.fetch(null);
      expect(first).toEqual({ status: 'fetched', bytes: Buffer.from('{"bundle":true}'), mark: { etag: null, lastModified: LAST_MODIFIED } });
      const second = await source.fetch(first.status === 'fetched' ? first.mark : null);
      expect(second).toEqual({ status: 'unchanged' });
      expect(requests[0]?.['if-modified-since']).toBeUndefined();
      expect(requests[1]?.['if-modified-since']).toBe(LAST_MODIFIED);
      expect(requests[1]?.['if-none-match']).toBeUndefined();
    } finally {
      await source.close();
    }
  });

  it('refuses an announced length over maxBytes without reading it', async () => {
    expect.assertions(1);
    const source = new HttpBundleSource({ url, timeoutMs: 2000, maxBytes: 4 });
    try {
      const err = (await source.fetch(null).catch((e: unknown) => e)) as { code: string; message: string };
      expect({ code: err.code, message: err.message }).toEqual({ code: 'WEIR_ERR_BUNDLE_SOURCE', message: expect.stringContaining('announces 15 bytes') });
    } finally {
      await source.close();
    }
  });
});
