import type { Duplex } from 'node:stream';
import { STATUS_CODES } from 'node:http';
import { catalogue, errorBodyBuffer, type ErrorCode } from '@weir/errors';

const raw = new Map<ErrorCode, Buffer>();

/**
 * A complete HTTP/1.1 error response as bytes, for a socket whose request Node could not parse
 * (there is no `ServerResponse` to write to). Same body and headers as every proxy-made error,
 * plus `Connection: close`: after a framing error the connection cannot be trusted.
 */
export function rawErrorResponse(code: ErrorCode): Buffer {
  let bytes = raw.get(code);
  if (bytes === undefined) {
    const status = catalogue[code].status;
    const body = errorBodyBuffer(code);
    const head =
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
      `content-type: application/json\r\ncontent-length: ${body.length}\r\n` +
      `x-weir-error: ${code}\r\nconnection: close\r\n\r\n`;
    bytes = Buffer.concat([Buffer.from(head, 'latin1'), body]);
    raw.set(code, bytes);
  }
  return bytes;
}

/**
 * The code for a Node `clientError`:
 * - `HPE_HEADER_OVERFLOW`: header section over `maxHeaderBytes` -> 431 WEIR_ERR_HEADERS_TOO_LARGE;
 * - `ERR_HTTP_REQUEST_TIMEOUT` (headers or request timeout) -> 408 WEIR_ERR_REQUEST_TIMEOUT;
 * - any other parser error (`HPE_*`) -> 400 WEIR_ERR_BAD_REQUEST.
 */
export function clientErrorCode(err: Error): ErrorCode {
  const code = (err as Error & { code?: unknown }).code;
  if (code === 'HPE_HEADER_OVERFLOW') return 'WEIR_ERR_HEADERS_TOO_LARGE';
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return 'WEIR_ERR_REQUEST_TIMEOUT';
  return 'WEIR_ERR_BAD_REQUEST';
}

/**
 * `clientError` listener: answers with the JSON error when the socket can still carry one, then
 * closes it. Without a listener Node writes its own plain-text 400; with one, Node leaves the
 * socket to us. A reset or already-closed socket only needs destroying. If a response was
 * already under way on the socket (`_httpMessage`, e.g. a request timeout mid-body), writing
 * another status line would corrupt it, so the socket is just destroyed.
 */
export function onClientError(err: Error, socket: Duplex): void {
  const code = (err as Error & { code?: unknown }).code;
  const busy = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } | null })._httpMessage;
  if (code === 'ECONNRESET' || !socket.writable || (busy !== undefined && busy !== null && busy.headersSent === true)) {
    socket.destroy();
    return;
  }
  socket.end(rawErrorResponse(clientErrorCode(err)));
  // end() flushes the response; destroySoon-style close once it is written, so a client that
  // never closes its side does not keep the socket open.
  socket.once('finish', destroySocket);
}

function destroySocket(this: Duplex): void {
  this.destroy();
}
