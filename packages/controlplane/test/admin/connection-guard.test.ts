import * as http from 'node:http';
import * as net from 'node:net';
import { ConnectionGuard, type ConnectionGuardOptions } from '../../src/admin/index';
import { CapturedLog } from '../support/captured-log';
import { ManualClock } from './support/admin-harness';

/**
 * ConnectionGuard on a real node:http server on 127.0.0.1 port 0. The handler answers at once,
 * except `/hold` (kept open until the test releases it); `x-trust: 1` marks the connection
 * authenticated, as the admin server does after a valid token.
 */
class GuardedServer {
  readonly log = new CapturedLog();
  readonly clock = new ManualClock();
  readonly guard: ConnectionGuard;
  readonly server: http.Server;
  readonly held: http.ServerResponse[] = [];
  private readonly sockets: net.Socket[] = [];

  constructor(options: ConnectionGuardOptions) {
    this.guard = new ConnectionGuard(this.log.logger, { clock: this.clock, ...options });
    this.server = http.createServer(this.guard.serverOptions, (req, res) => {
      if (req.headers['x-trust'] === '1') this.guard.trust(req.socket);
      if (req.url === '/hold') this.held.push(res);
      else res.end('ok');
    });
    this.guard.attach(this.server);
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  /** A connected socket, once the server has taken it (and the guard has admitted or refused it). */
  async connect(): Promise<net.Socket> {
    const socket = net.connect(this.port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.resume();
    this.sockets.push(socket);
    await new Promise<void>((resolve) => this.server.once('connection', () => setImmediate(resolve)));
    return socket;
  }

  /** Send one request on `socket` and resolve with the first chunk of the answer. */
  request(socket: net.Socket, path: string, headers = ''): Promise<string> {
    return new Promise((resolve) => {
      socket.once('data', (chunk: Buffer) => resolve(chunk.toString('latin1')));
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}\r\n`);
    });
  }

  /** Resolves once `count` requests to /hold are held. */
  async heldCount(count: number): Promise<void> {
    while (this.held.length < count) await new Promise<void>((resolve) => this.server.once('request', () => setImmediate(resolve)));
  }

  async close(): Promise<void> {
    this.guard.stop();
    for (const socket of this.sockets) socket.destroy();
    for (const res of this.held) res.end();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const closed = (socket: net.Socket): Promise<void> => (socket.destroyed && socket.closed ? Promise.resolve() : new Promise((resolve) => socket.once('close', () => resolve())));

describe('ConnectionGuard', () => {
  let s: GuardedServer;

  afterEach(async () => {
    await s.close();
  });

  it('sets node:http timeouts from its options (defaults: 10 s headers, 120 s request, 5 s idle, checked every second)', () => {
    s = new GuardedServer({});
    expect(s.guard.serverOptions).toEqual({ headersTimeout: 10_000, requestTimeout: 120_000, keepAliveTimeout: 5_000, connectionsCheckingInterval: 1_000 });
    expect([s.server.headersTimeout, s.server.requestTimeout, s.server.keepAliveTimeout]).toEqual([10_000, 120_000, 5_000]);
  });

  it('at the cap, answers a new connection and closes the oldest silent one; logs the shedding once per interval', async () => {
    expect.assertions(5);
    s = new GuardedServer({ maxConnections: 3 });
    await s.listen();
    const silent = [await s.connect(), await s.connect(), await s.connect()];
    const probe = await s.connect();
    await closed(silent[0] as net.Socket);
    expect(await s.request(probe, '/health')).toMatch(/^HTTP\/1\.1 200 /);
    expect(s.guard.size).toBe(3);
    s.guard.sweep();
    expect(s.log.withMsg('admin connections shed')).toEqual([expect.objectContaining({ level: 'warn', shed: 1, refused: 0, open: 3, maxConnections: 3 })]);
    await s.connect();
    await closed(silent[1] as net.Socket);
    s.guard.sweep();
    expect(s.log.withMsg('admin connections shed')).toHaveLength(1);
    s.clock.ms += 10_000;
    s.guard.sweep();
    expect(s.log.withMsg('admin connections shed')).toHaveLength(2);
  });

  it('sheds authenticated connections last and refuses only when all of them are busy', async () => {
    expect.assertions(4);
    s = new GuardedServer({ maxConnections: 2 });
    await s.listen();
    const operator = await s.connect();
    void s.request(operator, '/hold', 'x-trust: 1\r\n');
    await s.heldCount(1);
    const idleOperator = await s.connect();
    expect(await s.request(idleOperator, '/x', 'x-trust: 1\r\n')).toMatch(/^HTTP\/1\.1 200 /);
    // Full: the newcomer sheds the authenticated idle connection, never the one in a request.
    const stranger = await s.connect();
    await closed(idleOperator);
    expect(await s.request(stranger, '/x')).toMatch(/^HTTP\/1\.1 200 /);
    const another = await s.connect();
    await closed(stranger);
    expect(operator.destroyed).toBe(false);
    // Both slots held by authenticated requests in progress: a newcomer is refused.
    void s.request(another, '/hold', 'x-trust: 1\r\n');
    await s.heldCount(2);
    const refused = net.connect(s.port, '127.0.0.1');
    refused.on('error', () => undefined);
    refused.resume();
    await closed(refused);
    s.guard.sweep();
    expect(s.log.withMsg('admin connections shed')).toEqual([expect.objectContaining({ shed: 2, refused: 1 })]);
  });

  it('closes a connection that sent no complete request headers within the timeout of its accept, bytes or not', async () => {
    expect.assertions(4);
    s = new GuardedServer({ headersTimeoutMs: 10_000 });
    await s.listen();
    const silent = await s.connect();
    const slow = await s.connect();
    slow.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const spoke = await s.connect();
    expect(await s.request(spoke, '/x')).toMatch(/^HTTP\/1\.1 200 /);
    s.clock.ms += 9_999;
    s.guard.sweep();
    expect(s.guard.size).toBe(3);
    s.clock.ms += 1;
    s.guard.sweep();
    await Promise.all([closed(silent), closed(slow)]);
    expect([s.guard.size, spoke.destroyed]).toEqual([1, false]);
    expect(s.log.withMsg('admin connections shed')).toEqual([]);
  });

  it('closes silent connections on its own timer once started', async () => {
    expect.assertions(2);
    s = new GuardedServer({ headersTimeoutMs: 50, sweepIntervalMs: 20, clock: { now: () => performance.now() } });
    await s.listen();
    s.guard.start();
    s.guard.start();
    const started = performance.now();
    const silent = await s.connect();
    await closed(silent);
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    expect(s.guard.size).toBe(0);
  });
});
