import * as net from 'node:net';

/** A response read off the wire, headers exactly as sent. */
export interface RawResponse {
  readonly status: number;
  /** [name, value] pairs in wire order, names as sent (case kept). */
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Buffer;
}

/** Every value of a header (case-insensitive name). */
export function headerValues(response: RawResponse, name: string): string[] {
  const lower = name.toLowerCase();
  return response.headers.filter(([n]) => n.toLowerCase() === lower).map(([, v]) => v);
}

/** Whether the header occurs at all (case-insensitive name). */
export function hasHeader(response: RawResponse, name: string): boolean {
  return headerValues(response, name).length > 0;
}

/**
 * Send a request written by hand over a fresh TCP connection and read one response. Use it
 * where node:http or undici would normalise, add or refuse headers (hop-by-hop ones). The request
 * should say `Connection: close` so the proxy ends the connection after the response; parsing
 * still stops at the end of the first response's body.
 */
export function rawRequest(port: number, head: readonly string[], timeoutMs = 10_000): Promise<RawResponse> {
  return new Promise<RawResponse>((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let settled = false;
    const timer = setTimeout(() => finish(new Error(`raw request: no complete response within ${timeoutMs} ms`)), timeoutMs);
    const finish = (err: Error | null, response?: RawResponse): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(response as RawResponse);
    };
    const tryParse = (ended: boolean): void => {
      const parsed = parseResponse(Buffer.concat(chunks), ended);
      if (parsed) finish(null, parsed);
      else if (ended) finish(new Error('raw request: connection closed before a complete response'));
    };
    socket.on('connect', () => socket.write(head.join('\r\n') + '\r\n\r\n'));
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      tryParse(false);
    });
    socket.on('end', () => tryParse(true));
    socket.on('error', (err) => finish(err));
  });
}

/** Parse one HTTP/1.1 response; `null` while incomplete. */
function parseResponse(data: Buffer, ended: boolean): RawResponse | null {
  const headEnd = data.indexOf('\r\n\r\n');
  if (headEnd < 0) return null;
  const lines = data.subarray(0, headEnd).toString('latin1').split('\r\n');
  const statusLine = lines[0] ?? '';
  const status = Number(statusLine.split(' ')[1]);
  const headers: [string, string][] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    const colon = line.indexOf(':');
    headers.push([line.slice(0, colon), line.slice(colon + 1).trim()]);
  }
  const rest = data.subarray(headEnd + 4);
  const response = { status, headers, body: rest };
  const lengthHeader = headerValues(response, 'content-length')[0];
  if (lengthHeader !== undefined) {
    const length = Number(lengthHeader);
    return rest.length >= length ? { status, headers, body: rest.subarray(0, length) } : null;
  }
  if (headerValues(response, 'transfer-encoding').some((v) => v.toLowerCase().includes('chunked'))) {
    const body = decodeChunked(rest);
    return body ? { status, headers, body } : null;
  }
  if (status === 204 || status === 304) return { status, headers, body: Buffer.alloc(0) };
  return ended ? response : null;
}

/** Decode a complete chunked body; `null` while the last chunk has not arrived. */
function decodeChunked(data: Buffer): Buffer | null {
  const parts: Buffer[] = [];
  let offset = 0;
  for (let guard = 0; guard < 1_000_000; guard++) {
    const lineEnd = data.indexOf('\r\n', offset);
    if (lineEnd < 0) return null;
    const size = parseInt(data.subarray(offset, lineEnd).toString('latin1'), 16);
    if (size === 0) return data.indexOf('\r\n\r\n', lineEnd) >= 0 ? Buffer.concat(parts) : null;
    const start = lineEnd + 2;
    if (data.length < start + size + 2) return null;
    parts.push(data.subarray(start, start + size));
    offset = start + size + 2;
  }
  return null;
}
