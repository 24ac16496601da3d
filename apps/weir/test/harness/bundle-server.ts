import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A static file server on loopback (port 0) serving one bundle file with a strong ETag and
 * `If-None-Match` handling, like any static server or CDN: the source of the end-to-end bundle
 * puller tests. `down` makes it answer 503 (a source that is down), without closing the port.
 */
export class BundleServer {
  /** The file served (null: 404). */
  body: Buffer | null = null;
  /** Answer 503 to everything. */
  down = false;
  /** Answers given, by status, in order. */
  readonly answers: number[] = [];
  private readonly server: Server;
  private address = '';

  constructor() {
    this.server = createServer((req, res) => this.handle(req, res));
  }

  /** Listen on 127.0.0.1 port 0; resolves the bundle's URL. */
  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.address = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/weir.bundle`;
    return this.address;
  }

  get url(): string {
    return this.address;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const status = this.answer(req, res);
    this.answers.push(status);
  }

  private answer(req: IncomingMessage, res: ServerResponse): number {
    if (this.down) {
      res.writeHead(503).end();
      return 503;
    }
    if (this.body === null) {
      res.writeHead(404).end();
      return 404;
    }
    const etag = `"${createHash('sha256').update(this.body).digest('hex').slice(0, 16)}"`;
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag }).end();
      return 304;
    }
    res.writeHead(200, { 'content-type': 'application/json', etag }).end(this.body);
    return 200;
  }
}
