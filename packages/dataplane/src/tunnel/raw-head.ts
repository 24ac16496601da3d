import { STATUS_CODES } from 'node:http';

/**
 * The value of the request's `Upgrade` field in Node's raw header list, or null. An upgrade
 * request reached the data plane only because Node saw `Connection: upgrade` and `Upgrade`.
 */
export function findUpgrade(raw: readonly string[]): string | null {
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    if (name.length === 7 && name.toLowerCase() === 'upgrade') return raw[i + 1] as string;
  }
  return null;
}

/**
 * Whether an `Upgrade` value asks for WebSocket: one of its comma-separated protocols is
 * `websocket`, compared case-insensitively (RFC 6455 section 4.2.1; RFC 9110 section 7.8 lets a
 * client offer several protocols).
 */
export function asksForWebSocket(value: string): boolean {
  const parts = value.toLowerCase().split(',');
  for (let i = 0; i < parts.length; i++) if ((parts[i] as string).trim() === 'websocket') return true;
  return false;
}

/**
 * An HTTP/1.1 response head as bytes for a bare socket (Node's `ServerResponse` is gone once a
 * connection is handed over as an upgrade): the status line with the standard reason phrase,
 * then the flat `[name, value, ...]` lists `headers` and `extra`, then the blank line. Names and
 * values come from undici's parser, the spec or constants, which all exclude CR and LF, so
 * nothing is re-checked here.
 */
export function rawResponseHead(status: number, headers: readonly string[], extra: readonly string[]): Buffer {
  let head = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Unknown'}\r\n`;
  for (let i = 0; i < headers.length; i += 2) head += `${headers[i] as string}: ${headers[i + 1] as string}\r\n`;
  for (let i = 0; i < extra.length; i += 2) head += `${extra[i] as string}: ${extra[i + 1] as string}\r\n`;
  return Buffer.from(head + '\r\n', 'latin1');
}

/**
 * Stands in for a response so `sendHttpsRedirect` (shared with ordinary requests) can build the
 * redirect; the tunnel writes the captured head on its bare socket.
 */
export class CapturedHead {
  status = 0;
  headers: readonly string[] = [];

  writeHead(status: number, headers: readonly string[]): this {
    this.status = status;
    this.headers = headers;
    return this;
  }

  end(): void {
    // Nothing to send: the redirect has no body.
  }
}
