import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the stub received. */
export interface RecordedRequest {
  readonly method: string;
  /** Path without the query. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  /** The body parsed as JSON, undefined when empty or not JSON. */
  readonly json: any;
}

/** An answer of the stub: a status and a JSON body (or a raw one). */
export interface StubReply {
  readonly status: number;
  readonly body?: unknown;
  readonly raw?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A computed answer; it may stay pending until the test releases it (a held long-poll). */
export type StubHandler = (request: RecordedRequest) => StubReply | Promise<StubReply>;

/** The API's error body. */
export function errorReply(status: number, code: string, message = code, details?: readonly { pointer: string; message: string }[]): StubReply {
  return { status, body: { error: { code, status, message, ...(details === undefined ? {} : { details }) } } };
}

/**
 * A loopback HTTP server standing in for the admin API: it records every request (method,
 * path, query, headers, body) and answers from per-route queues (`on`), so a test checks the
 * exact request weirctl sent and drives the answers, including long-polls held until the test
 * releases them. Unrouted requests get the API's 404.
 */
export class StubAdminServer {
  readonly requests: RecordedRequest[] = [];
  private readonly routes = new Map<string, (StubReply | StubHandler)[]>();
  private readonly arrivals: ((request: RecordedRequest) => void)[] = [];

  private constructor(private readonly server: http.Server) {}

  static async start(): Promise<StubAdminServer> {
    const server = http.createServer();
    const stub = new StubAdminServer(server);
    server.on('request', (req, res) => stub.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return stub;
  }

  /** Base URL, `http://127.0.0.1:<port>`. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Answer `METHOD path` with `replies` in turn; the last one repeats. */
  on(method: string, path: string, ...replies: (StubReply | StubHandler)[]): this {
    this.routes.set(`${method} ${path}`, replies);
    return this;
  }

  /** Resolves with the next request to arrive. */
  nextRequest(): Promise<RecordedRequest> {
    return new Promise((resolve) => this.arrivals.push(resolve));
  }

  /** Close the server and every connection (held requests included). */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = body === '' ? undefined : JSON.parse(body);
      } catch {
        json = undefined;
      }
      const url = new URL(req.url ?? '/', 'http://stub');
      const recorded: RecordedRequest = { method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers, body, json };
      this.requests.push(recorded);
      for (const arrival of this.arrivals.splice(0)) arrival(recorded);
      const queue = this.routes.get(`${recorded.method} ${recorded.path}`);
      const next = queue === undefined ? errorReply(404, 'WEIR_ERR_ADMIN_NOT_FOUND') : queue.length > 1 ? (queue.shift() as StubReply | StubHandler) : queue[0];
      void Promise.resolve(typeof next === 'function' ? next(recorded) : next).then((reply) => {
        if (res.destroyed || reply === undefined) return;
        const text = reply.raw ?? (reply.body === undefined ? '' : `${JSON.stringify(reply.body)}\n`);
        res.writeHead(reply.status, { 'content-type': 'application/json', ...(reply.headers ?? {}) });
        res.end(text);
      });
    });
  }
}
