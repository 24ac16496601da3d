import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What an upstream saw of one request, captured when its headers arrived. */
export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  /** Node's parsed view (lower-case names, repeated values joined). */
  readonly headers: http.IncomingHttpHeaders;
  /** Names and values exactly as received, in order: [name, value, name, value, ...]. */
  readonly rawHeaders: readonly string[];
  /** Remote port of the proxy's connection; maps the request to the worker that sent it. */
  readonly remotePort: number;
}

/** Handles a request after the upstream has recorded it. */
export type UpstreamHandler = (req: http.IncomingMessage, res: http.ServerResponse, upstream: TestUpstream) => void;

/**
 * Default behaviour: read the whole request body, then answer 200 with the upstream's name as
 * body and an `x-upstream` header, so tests see which upstream served a request.
 */
export function answerWithName(req: http.IncomingMessage, res: http.ServerResponse, upstream: TestUpstream): void {
  req.resume();
  req.on('end', () => {
    const body = Buffer.from(upstream.name);
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length, 'x-upstream': upstream.name });
    res.end(body);
  });
}

/**
 * A real node:http upstream on 127.0.0.1, port 0. Records every request it receives.
 * `close()` destroys open connections too, so afterAll never waits on keep-alive sockets.
 */
export class TestUpstream {
  /** Requests in arrival order. */
  readonly requests: SeenRequest[] = [];
  private readonly sockets = new Set<Socket>();

  private constructor(
    /** Name used in configs and as the default response body. */
    readonly name: string,
    private readonly server: http.Server,
    /** Port the server listens on. */
    readonly port: number,
  ) {
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  /** `host:port` as an endpoint address in a Weir config. */
  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Number of requests received so far. */
  get hits(): number {
    return this.requests.length;
  }

  /** Start an upstream; `handler` defaults to {@link answerWithName}. */
  static async start(name: string, handler: UpstreamHandler = answerWithName): Promise<TestUpstream> {
    const server = http.createServer({ keepAliveTimeout: 10_000 });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const upstream = new TestUpstream(name, server, (server.address() as AddressInfo).port);
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      upstream.requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        rawHeaders: req.rawHeaders.slice(),
        remotePort: req.socket.remotePort ?? 0,
      });
      handler(req, res, upstream);
    });
    return upstream;
  }

  /** Stop listening and destroy every open connection. Idempotent. */
  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    if (!this.server.listening) return;
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Start several upstreams with the default handler, one per name. */
export async function startUpstreams(names: readonly string[]): Promise<TestUpstream[]> {
  return Promise.all(names.map((name) => TestUpstream.start(name)));
}

/** Close every upstream in a list (nulls and undefined allowed, for afterEach). */
export async function closeAll(upstreams: readonly (TestUpstream | null | undefined)[]): Promise<void> {
  await Promise.all(upstreams.map((upstream) => (upstream ? upstream.close() : Promise.resolve())));
}

/**
 * A loopback port with nothing listening: bound on port 0, then closed. Connecting to it is
 * refused (the kernel does not hand a just-released ephemeral port out again right away).
 */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
