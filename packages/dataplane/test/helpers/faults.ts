import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import type { RouteSpec } from '@weir/runtime';
import { NO_RETRY } from './spec';

/** What a `FaultyUpstream` does with each connection / request. */
export type FaultMode =
  /** Accept the TCP connection and destroy it at once (a reset before any response). */
  | 'reset'
  /** Answer with the request handler. */
  | 'http';

/**
 * A fault-injecting upstream on 127.0.0.1, port 0: a TCP server that counts every connection
 * attempt that reaches it, then either resets it or hands it to an HTTP handler. The handler
 * can itself misbehave (5xx, slow first byte, reset after headers).
 */
export class FaultyUpstream {
  mode: FaultMode = 'http';
  /** TCP connections accepted (connection attempts that reached the server). */
  connections = 0;
  /** HTTP requests received, by method and path. */
  readonly requests: { method: string; url: string; body: string }[] = [];
  readonly port: number;
  private readonly net: NetServer;
  private readonly http: Server;
  private readonly sockets = new Set<Socket>();

  private constructor(net: NetServer, http: Server, port: number) {
    this.net = net;
    this.http = http;
    this.port = port;
  }

  /** Starts one; `handler` answers requests in `http` mode (after the body was read). */
  static async start(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<FaultyUpstream> {
    const http = createHttpServer();
    const net = createNetServer();
    await new Promise<void>((resolve) => net.listen(0, '127.0.0.1', resolve));
    const up = new FaultyUpstream(net, http, (net.address() as AddressInfo).port);
    http.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        up.requests.push({ method: req.method ?? '', url: req.url ?? '', body });
        handler(req, res, body);
      });
    });
    net.on('connection', (socket: Socket) => {
      up.connections++;
      if (up.mode === 'reset') {
        socket.resetAndDestroy();
        return;
      }
      up.sockets.add(socket);
      socket.on('close', () => up.sockets.delete(socket));
      http.emit('connection', socket);
    });
    return up;
  }

  /** Requests received with `method`. */
  count(method?: string): number {
    return method === undefined ? this.requests.length : this.requests.filter((r) => r.method === method).length;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.net.close(() => resolve()));
  }
}

/** `route` with a retry policy (fields over the never-retrying test default) and a total timeout. */
export function withRetry(route: RouteSpec, retry: Partial<typeof NO_RETRY>, totalTimeoutMs = 0): RouteSpec {
  if (route.action.kind !== 'forward') throw new Error('withRetry needs a forwarding route');
  return { ...route, action: { ...route.action, retry: { ...NO_RETRY, retries: 1, ...retry }, totalTimeoutMs } };
}

/** retryOn flags, all off unless named. */
export function retryOn(...on: ('connectFailure' | 'reset' | 'serverError' | 'gatewayError' | 'retriableStatus')[]): typeof NO_RETRY.retryOn {
  return {
    connectFailure: on.includes('connectFailure'),
    reset: on.includes('reset'),
    serverError: on.includes('serverError'),
    gatewayError: on.includes('gatewayError'),
    retriableStatus: on.includes('retriableStatus'),
  };
}

/** A manual monotonic clock. */
export class FakeClock {
  t = 1_000_000;
  now(): number {
    return this.t;
  }
}
