import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A static file server on loopback (port 0) for one bundle file, with a strong ETag and
 * `If-None-Match` handling, like any static server or CDN. Tests swap the file, force a status,
 * or make it stall.
 */
export class StaticBundleServer {
  /** The file served (null: 404). */
  body: Buffer | null = null;
  /** Answer this status instead of the file. */
  status: number | null = null;
  /** Never answer (a stalled source). */
  stall = false;
  /** Leave out the ETag (servers without validators). */
  noEtag = false;
  /** Every request's `if-none-match`, in order. */
  readonly conditions: (string | null)[] = [];
  private readonly server: Server;
  private readonly stalled: ServerResponse[] = [];

  constructor() {
    this.server = createServer((req, res) => this.handle(req, res));
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/weir.bundle`;
  }

  async close(): Promise<void> {
    for (const res of this.stalled) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const condition = req.headers['if-none-match'];
    this.conditions.push(typeof condition === 'string' ? condition : null);
    if (this.stall) {
      this.stalled.push(res);
      return;
    }
    if (this.status !== null) {
      res.writeHead(this.status).end();
      return;
    }
    if (this.body === null) {
      res.writeHead(404).end();
      return;
    }
    const etag = `"${createHash('sha256').update(this.body).digest('hex').slice(0, 16)}"`;
    if (!this.noEtag && condition === etag) {
      res.writeHead(304, { etag }).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', ...(this.noEtag ? {} : { etag }) }).end(this.body);
  }
}
