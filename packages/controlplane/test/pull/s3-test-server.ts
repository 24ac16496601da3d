import * as fs from 'node:fs/promises';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import * as aws4 from 'aws4';
import S3rver = require('@20minutes/s3rver');

/** The one key pair s3rver knows (its dummy account). */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;
export const S3_REGION = 'us-east-1';

/**
 * An S3-compatible server on loopback (port 0) for the S3 source tests: `@20minutes/s3rver`,
 * which checks SigV4 signatures against its key pair, in a temporary directory, with one bucket.
 */
export class S3TestServer {
  /** `http://127.0.0.1:<port>`, once listening. */
  endpoint = '';
  private server: S3rver | null = null;
  private dir = '';

  constructor(readonly bucket: string) {}

  async start(): Promise<void> {
    this.dir = await fs.mkdtemp(path.join(os.tmpdir(), 'weir-s3-'));
    this.server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: this.dir, configureBuckets: [{ name: this.bucket }] });
    const address = await this.server.run();
    this.endpoint = `http://127.0.0.1:${address.port}`;
  }

  /** Store `body` at `key` with a signed PutObject; resolves with the object's ETag. */
  put(key: string, body: Buffer): Promise<string> {
    const url = new URL(`${this.endpoint}/${this.bucket}/${key}`);
    const signed = aws4.sign({ host: url.host, path: url.pathname, method: 'PUT', service: 's3', region: S3_REGION, body, headers: { 'content-type': 'application/octet-stream' } }, S3RVER_CREDENTIALS);
    return new Promise((resolve, reject) => {
      const req = http.request(url, { method: 'PUT', headers: signed.headers, agent: false }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve(String(res.headers.etag)) : reject(new Error(`PUT ${key}: ${res.statusCode}`))));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server !== null) {
      server.httpServer?.closeAllConnections();
      await server.close();
    }
    if (this.dir !== '') await fs.rm(this.dir, { recursive: true, force: true });
  }
}
