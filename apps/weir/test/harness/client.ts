import * as http from 'node:http';

/** A whole response, body read as UTF-8. */
export interface SimpleResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export interface SendOptions {
  readonly method?: string;
  /** Request target. Default `/`. */
  readonly path?: string;
  readonly headers?: http.OutgoingHttpHeaders;
  readonly body?: string | Buffer;
  /** Default `false`: a fresh connection per request, closed afterwards. */
  readonly agent?: http.Agent | false;
  /** Source address of the connection (another loopback address: a different client). */
  readonly localAddress?: string;
}

/** Send one request to the proxy on 127.0.0.1:`port` and read the whole response. */
export function send(port: number, options: SendOptions = {}): Promise<SimpleResponse> {
  return new Promise<SimpleResponse>((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path ?? '/',
        headers: options.headers,
        agent: options.agent ?? false,
        ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The proxy's own error body: `{"error":{"code","status","message"}}`. */
export interface ProxyErrorBody {
  readonly error: { readonly code: string; readonly status: number; readonly message: string };
}

/** Parse a proxy error body; throws when the body is not JSON. */
export function parseErrorBody(response: SimpleResponse): ProxyErrorBody {
  return JSON.parse(response.body) as ProxyErrorBody;
}
