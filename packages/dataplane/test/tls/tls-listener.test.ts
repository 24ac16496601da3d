import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { WebSocket, type ClientOptions } from 'ws';
import { startEchoUpstream } from '../tunnel/ws-helpers';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { DataPlane } from '../../src/index';
import { startPlane, type TestPlane } from '../helpers/plane';
import { silentLogger, startUpstream, type TestUpstream } from '../helpers/servers';
import { forwardRoute, listener, makeSpec, upstream } from '../helpers/spec';
import { h2Request, h2Session, httpsGet, makeTestCertificates, tlsListener, tlsSettings, type TestCertificates } from '../helpers/tls';

let certs: TestCertificates;
let origin: TestUpstream;
let plane: TestPlane | null = null;

beforeAll(async () => {
  certs = makeTestCertificates([
    { name: 'a', names: ['a.example'] },
    { name: 'b', names: ['*.b.example'] },
    { name: 'fallback', names: ['localhost'] },
    { name: 'a2', names: ['a.example'] },
    { name: 'client', names: ['client.example'] },
    { name: 'selfsigned', names: ['rogue.example'], ca: false },
  ]);
  origin = await startUpstream((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ host: req.headers.host, proto: req.headers['x-forwarded-proto'], via: req.headers.via, url: req.url }));
  });
});

afterEach(async () => {
  if (plane !== null) await plane.close();
  plane = null;
});

afterAll(async () => {
  await origin.close();
  certs.remove();
});

function specWith(tls = tlsSettings(['a', 'b', 'fallback'], { defaultCertificate: 'fallback' }), certificates = [certs.spec('a'), certs.spec('b'), certs.spec('fallback')]) {
  return makeSpec({
    listeners: [tlsListener('https', tls)],
    routes: [forwardRoute('all', 'origin')],
    upstreams: [upstream('origin', [origin.port])],
    certificates,
  });
}

/** The common name of the certificate the listener presents for `servername` (undefined: no SNI). */
function presented(port: number, servername?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket: TLSSocket = tlsConnect({ host: '127.0.0.1', port, ca: certs.ca, ...(servername === undefined ? {} : { servername }), checkServerIdentity: () => undefined });
    socket.once('secureConnect', () => {
      resolve(String(socket.getPeerCertificate().subject?.CN ?? ''));
      socket.destroy();
    });
    socket.once('error', reject);
  });
}

describe('TLS listener', () => {
  it('chooses the certificate by SNI: exact, one-label wildcard, and the default for unknown names and no SNI', async () => {
    plane = await startPlane(specWith());
    expect(await presented(plane.port, 'a.example')).toBe('a.example');
    expect(await presented(plane.port, 'A.Example.')).toBe('a.example');
    expect(await presented(plane.port, 'x.b.example')).toBe('*.b.example');
    expect(await presented(plane.port, 'b.example')).toBe('localhost');
    expect(await presented(plane.port, 'y.x.b.example')).toBe('localhost');
    expect(await presented(plane.port, 'unknown.example')).toBe('localhost');
    expect(await presented(plane.port)).toBe('localhost');
  });

  it('serves HTTP/1.1 and h2 by ALPN with the same answers and X-Forwarded-Proto https', async () => {
    plane = await startPlane(specWith());
    const h1 = await httpsGet(plane.port, { servername: 'a.example', ca: certs.ca, path: '/x?y=1' });
    expect(h1.status).toBe(200);
    expect(h1.alpn).toBe(false);
    expect(JSON.parse(h1.body)).toEqual({ host: 'a.example', proto: 'https', via: '1.1 weir', url: '/x?y=1' });
    const session = await h2Session(plane.port, certs.ca, 'a.example');
    try {
      const h2 = await h2Request(session, { ':path': '/x?y=1', ':authority': 'a.example' });
      expect(h2.status).toBe(200);
      expect(JSON.parse(h2.body)).toEqual({ host: 'a.example', proto: 'https', via: '2 weir', url: '/x?y=1' });
      expect(h2.headers['content-type']).toBe('application/json');
    } finally {
      session.close();
    }
  });

  it('applies the listener limits to HTTP/1.1 over TLS (431 past maxHeaderBytes)', async () => {
    plane = await startPlane(specWith());
    const big = await httpsGet(plane.port, { servername: 'a.example', ca: certs.ca, headers: { 'x-big': 'a'.repeat(20_000) } });
    expect(big.status).toBe(431);
    expect(big.headers['x-weir-error']).toBe('WEIR_ERR_HEADERS_TOO_LARGE');
  });

  it('swaps certificates at commit: new handshakes get the new one, an open connection keeps serving', async () => {
    plane = await startPlane(specWith());
    const session = await h2Session(plane.port, certs.ca, 'a.example');
    try {
      expect((await h2Request(session, { ':authority': 'a.example' })).status).toBe(200);
      const before = await presented(plane.port, 'a.example');
      const a2 = { ...certs.spec('a2'), name: 'a' };
      await plane.plane.prepare(specWith(undefined, [a2, certs.spec('b'), certs.spec('fallback')]));
      plane.plane.commit();
      const after = await presented(plane.port, 'a.example');
      expect(before).toBe('a.example');
      expect(after).toBe('a.example');
      // Same name, other certificate: compare serial numbers through a fresh handshake.
      const serial = await new Promise<string>((resolve, reject) => {
        const s = tlsConnect({ host: '127.0.0.1', port: plane!.port, ca: certs.ca, servername: 'a.example', checkServerIdentity: () => undefined });
        s.once('secureConnect', () => {
          resolve(s.getPeerCertificate().serialNumber);
          s.destroy();
        });
        s.once('error', reject);
      });
      expect(serial).toBe(new (require('node:crypto').X509Certificate)(a2.certPem).serialNumber);
      // The connection opened before the swap still serves.
      expect((await h2Request(session, { ':authority': 'a.example' })).status).toBe(200);
    } finally {
      session.close();
    }
  });

  it('refuses a prepare whose certificate OpenSSL rejects and keeps serving the old one', async () => {
    plane = await startPlane(specWith());
    const broken = { ...certs.spec('a'), keyPem: certs.spec('b').keyPem };
    await expect(plane.plane.prepare(specWith(undefined, [broken, certs.spec('b'), certs.spec('fallback')]))).rejects.toMatchObject({
      code: 'WEIR_ERR_CONFIG_INVALID',
    });
    expect(await presented(plane.port, 'a.example')).toBe('a.example');
    expect((await httpsGet(plane.port, { servername: 'a.example', ca: certs.ca })).status).toBe(200);
  });

  it('verifies client certificates when clientAuth requires them', async () => {
    plane = await startPlane(specWith(tlsSettings(['a'], { clientAuth: { caPem: certs.ca, required: true } }), [certs.spec('a')]));
    await expect(httpsGet(plane.port, { servername: 'a.example', ca: certs.ca })).rejects.toThrow();
    const ok = await httpsGet(plane.port, {
      servername: 'a.example',
      ca: certs.ca,
      cert: require('node:fs').readFileSync(certs.files['client']!.cert, 'utf8'),
      key: require('node:fs').readFileSync(certs.files['client']!.key, 'utf8'),
    });
    expect(ok.status).toBe(200);
  });

  it('with optional client certificates serves clients without one and refuses an untrusted one', async () => {
    plane = await startPlane(specWith(tlsSettings(['a'], { clientAuth: { caPem: certs.ca, required: false } }), [certs.spec('a')]));
    expect((await httpsGet(plane.port, { servername: 'a.example', ca: certs.ca })).status).toBe(200);
    const read = (file: string): string => require('node:fs').readFileSync(file, 'utf8');
    const trusted = await httpsGet(plane.port, {
      servername: 'a.example',
      ca: certs.ca,
      cert: read(certs.files['client']!.cert),
      key: read(certs.files['client']!.key),
    });
    expect(trusted.status).toBe(200);
    await expect(
      httpsGet(plane.port, { servername: 'a.example', ca: certs.ca, cert: read(certs.files['selfsigned']!.cert), key: read(certs.files['selfsigned']!.key) }),
    ).rejects.toThrow();
  });

  it('resumes TLS sessions across data planes that share the ticket secret (workers of one primary)', async () => {
    const secret = Buffer.alloc(32, 7);
    const planes: DataPlane[] = [];
    try {
      const ports: number[] = [];
      for (let i = 0; i < 3; i++) {
        // The third plane has another secret: its tickets are not the others'.
        const p = new DataPlane({ logger: silentLogger(), tlsTicketSecret: i < 2 ? secret : Buffer.alloc(32, 9) });
        planes.push(p);
        ports.push((await p.prepare(specWith())).listeners[0]!.port);
        p.commit();
      }
      for (const maxVersion of ['TLSv1.2', 'TLSv1.3'] as const) {
        const first = await handshake(ports[0]!, maxVersion);
        const second = await handshake(ports[1]!, maxVersion, first.session);
        expect({ maxVersion, reused: second.reused }).toEqual({ maxVersion, reused: true });
        const stranger = await handshake(ports[2]!, maxVersion, first.session);
        expect({ maxVersion, reused: stranger.reused }).toEqual({ maxVersion, reused: false });
      }
    } finally {
      for (const p of planes) await p.drain(1_000);
    }
  });

  it('drains: an h2 request in flight finishes, the session gets GOAWAY, the plane stops', async () => {
    // The upstream holds its answer until the test has seen the drain's GOAWAY.
    let arrived: (res: ServerResponse) => void = () => undefined;
    const atUpstream = new Promise<ServerResponse>((resolve) => (arrived = resolve));
    const slow = await startUpstream((_req, res) => arrived(res));
    try {
      const spec = makeSpec({
        listeners: [tlsListener('https', tlsSettings(['a']))],
        routes: [forwardRoute('all', 'slow')],
        upstreams: [upstream('slow', [slow.port])],
        certificates: [certs.spec('a')],
      });
      const p = await startPlane(spec);
      const session = await h2Session(p.port, certs.ca, 'a.example');
      session.on('error', () => undefined);
      const goaway = new Promise<void>((resolve) => session.once('goaway', () => resolve()));
      const answer = h2Request(session, { ':authority': 'a.example' });
      const held = await atUpstream;
      const drained = p.plane.drain(5_000);
      await goaway;
      held.end('slow answer');
      const res = await answer;
      expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: 'slow answer' });
      await drained;
      expect(session.closed || session.destroyed).toBe(true);
    } finally {
      await slow.close();
    }
  });

  it('proxies WebSocket over TLS (wss://) with X-Forwarded-Proto https', async () => {
    const echo = await startEchoUpstream();
    try {
      plane = await startPlane(
        makeSpec({
          listeners: [tlsListener('https', tlsSettings(['a']))],
          routes: [forwardRoute('chat', 'echo')],
          upstreams: [upstream('echo', [echo.port])],
          certificates: [certs.spec('a')],
        }),
      );
      // `ws` passes TLS options through to tls.connect; its types list only some of them.
      const tlsOptions = { ca: certs.ca, servername: 'a.example', headers: { host: 'a.example' } } as unknown as ClientOptions;
      const ws = new WebSocket(`wss://127.0.0.1:${plane.port}/chat`, tlsOptions);
      ws.on('error', () => undefined);
      await once(ws, 'open');
      const reply = once(ws, 'message');
      ws.send('over tls');
      const [data] = (await reply) as [Buffer];
      expect(data.toString()).toBe('over tls');
      expect(echo.requests[0]!.headers['x-forwarded-proto']).toBe('https');
      ws.close(1000);
      await once(ws, 'close');
    } finally {
      await echo.close();
    }
  });

  it('refuses to change a listener protocol in place', async () => {
    const port = await freePort();
    const routes = [forwardRoute('all', 'origin')];
    const upstreams = [upstream('origin', [origin.port])];
    const p = new DataPlane({ logger: silentLogger() });
    await p.prepare(makeSpec({ listeners: [listener('web', { port })], routes, upstreams }));
    p.commit();
    try {
      const tls = makeSpec({ listeners: [tlsListener('web', tlsSettings(['a']), { port })], routes, upstreams, certificates: [certs.spec('a')] });
      await expect(p.prepare(tls)).rejects.toThrow(/cannot change protocol in place/);
    } finally {
      await p.drain(1_000);
    }
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** One TLS connection that reads the server's first byte (so TLS 1.3 tickets arrive) and closes. */
function handshake(port: number, maxVersion: 'TLSv1.2' | 'TLSv1.3', session?: Buffer): Promise<{ reused: boolean; session: Buffer }> {
  return new Promise((resolve, reject) => {
    let ticket: Buffer | undefined;
    const socket = tlsConnect({ host: '127.0.0.1', port, servername: 'a.example', ca: certs.ca, maxVersion, checkServerIdentity: () => undefined, ...(session === undefined ? {} : { session }) });
    socket.on('session', (s: Buffer) => (ticket = s));
    socket.once('secureConnect', () => {
      socket.write('GET / HTTP/1.1\r\nHost: a.example\r\nConnection: close\r\n\r\n');
    });
    socket.on('data', () => undefined);
    socket.once('end', () => {
      const reused = socket.isSessionReused();
      socket.destroy();
      // A resumed TLS 1.2 session gets no new ticket: the offered one stays valid.
      const next = ticket ?? session;
      if (next === undefined) reject(new Error(`no session ticket (${maxVersion})`));
      else resolve({ reused, session: next });
    });
    socket.once('error', reject);
  });
}
