import * as http from 'node:http';
import type { AdminTokenConfig } from '@weir/config';
import { generateToken, hashToken } from '@weir/controlplane';
import type { Daemon } from './daemon';

/** A token and its config entry, generated fresh for one test file. */
export interface TestToken {
  readonly token: string;
  readonly entry: AdminTokenConfig;
}

/** A new token with `scopes`, named `name`. */
export function testToken(name: string, scopes: AdminTokenConfig['scopes']): TestToken {
  const token = generateToken();
  return { token, entry: { name, hash: hashToken(token), scopes } };
}

/** One admin API answer, body parsed as JSON when it is JSON. */
export interface AdminAnswer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
  readonly json: any;
}

/** Port of the admin API, from the daemon's `weir ready` line (the harness binds port 0). */
export function adminPort(daemon: Daemon): number {
  const admin = daemon.ready?.['admin'] as { port?: number } | null | undefined;
  if (typeof admin?.port !== 'number') throw new Error('the daemon reported no admin listener in "weir ready"');
  return admin.port;
}

/** Call the daemon's admin API; a `body` is sent as JSON. A fresh connection per call. */
export function adminCall(
  daemon: Daemon,
  method: string,
  path: string,
  options: { readonly token?: string; readonly body?: unknown; readonly headers?: http.OutgoingHttpHeaders } = {},
): Promise<AdminAnswer> {
  const port = adminPort(daemon);
  const headers: http.OutgoingHttpHeaders = { host: `127.0.0.1:${port}`, ...(options.headers ?? {}) };
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  if (payload !== undefined) headers['content-type'] = 'application/json';
  if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`;
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}
