import { rawExchange, startUpstream, type TestUpstream } from '../helpers/servers';
import { send, startPlane, type TestPlane } from '../helpers/plane';
import { forwardRoute, makeSpec, upstream } from '../helpers/spec';

/** Lower-cased name -> values, from a raw header list. */
function headerMap(raw: readonly string[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    map.set(name, [...(map.get(name) ?? []), raw[i + 1]!]);
  }
  return map;
}

/** The JSON body of a raw HTTP/1.1 response with a content-length. */
function rawBody(response: string): unknown {
  return JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4));
}

describe('proxy header handling', () => {
  let echo: TestUpstream;
  let plane: TestPlane;

  beforeAll(async () => {
    echo = await startUpstream((req, res) => {
      if (req.url === '/hop') {
        res.setHeader('Connection', 'X-Resp-Secret');
        res.setHeader('X-Resp-Secret', '1');
        res.setHeader('Keep-Alive', 'timeout=9');
        res.setHeader('Proxy-Connection', 'keep-alive');
        res.setHeader('Upgrade', 'foo');
        res.setHeader('Via', '1.1 upstream-cache');
        res.setHeader('X-Keep-Resp', 'yes');
        res.setHeader('Set-Cookie', ['a=1', 'b=2']);
        res.end('ok');
        return;
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(req.rawHeaders));
    });
    plane = await startPlane(makeSpec({ upstreams: [upstream('echo', [echo.port])], routes: [forwardRoute('all', 'echo')] }));
  });

  afterAll(async () => {
    await plane.close();
    await echo.close();
  });

  it('removes hop-by-hop request headers, including those named by Connection', async () => {
    expect.assertions(9);
    const response = await rawExchange(
      plane.port,
      'GET /echo HTTP/1.1\r\n' +
        'Host: api.example.com\r\n' +
        'Connection: close, X-Secret\r\n' +
        'X-Secret: 1\r\n' +
        'Keep-Alive: timeout=5\r\n' +
        'Proxy-Connection: keep-alive\r\n' +
        'TE: trailers\r\n' +
        'Trailer: X-T\r\n' +
        'Upgrade: h2c\r\n' +
        'X-Keep: yes\r\n\r\n',
    );
    expect(response.startsWith('HTTP/1.1 200')).toBe(true);
    const seen = headerMap(rawBody(response) as string[]);
    expect(seen.get('x-keep')).toEqual(['yes']);
    expect(seen.get('host')).toEqual(['api.example.com']);
    expect(seen.has('x-secret')).toBe(false);
    expect(seen.has('keep-alive')).toBe(false);
    expect(seen.has('proxy-connection')).toBe(false);
    expect(seen.has('te') || seen.has('trailer')).toBe(false);
    expect(seen.has('upgrade')).toBe(false);
    // undici speaks for its own connection; nothing of the client's Connection value survives.
    expect(seen.get('connection') ?? ['keep-alive']).toEqual(['keep-alive']);
  });

  it('appends to X-Forwarded-For and Via, and sets X-Forwarded-Proto and -Host', async () => {
    expect.assertions(4);
    const response = await rawExchange(
      plane.port,
      'GET /echo HTTP/1.1\r\n' +
        'Host: shop.example.com\r\n' +
        'X-Forwarded-For: 203.0.113.7\r\n' +
        'x-forwarded-for: 198.51.100.2\r\n' +
        'X-Forwarded-Proto: https\r\n' +
        'X-Forwarded-Host: spoofed.example.com\r\n' +
        'Via: 1.0 edge\r\n' +
        'Connection: close\r\n\r\n',
    );
    const seen = headerMap(rawBody(response) as string[]);
    expect(seen.get('x-forwarded-for')).toEqual(['203.0.113.7, 198.51.100.2, 127.0.0.1']);
    expect(seen.get('x-forwarded-proto')).toEqual(['http']);
    expect(seen.get('x-forwarded-host')).toEqual(['shop.example.com']);
    expect(seen.get('via')).toEqual(['1.0 edge, 1.1 weir']);
  });

  it('starts X-Forwarded-For and Via when the client sent none', async () => {
    expect.assertions(2);
    const res = await send(plane.port, { path: '/echo' });
    const seen = headerMap(JSON.parse(res.body.toString()) as string[]);
    expect(seen.get('x-forwarded-for')).toEqual(['127.0.0.1']);
    expect(seen.get('via')).toEqual(['1.1 weir']);
  });

  it('removes hop-by-hop response headers, including those named by Connection, and appends Via', async () => {
    expect.assertions(8);
    const res = await send(plane.port, { path: '/hop' });
    expect(res.status).toBe(200);
    expect(res.headers['x-resp-secret']).toBeUndefined();
    expect(res.headers['keep-alive']).toBeUndefined();
    expect(res.headers['proxy-connection']).toBeUndefined();
    expect(res.headers['upgrade']).toBeUndefined();
    expect(res.headers['x-keep-resp']).toBe('yes');
    expect(res.headers['via']).toBe('1.1 upstream-cache, 1.1 weir');
    expect(res.headers['set-cookie']).toEqual(['a=1', 'b=2']);
  });
});
