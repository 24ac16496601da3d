import type { EventEmitter } from 'node:events';
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
 * - `HPE_INVALID_VERSION` -> see `versionErrorCode`;
 * - `HPE_PAUSED_H2_UPGRADE`: the HTTP/2 connection preface (`PRI * HTTP/2.0`, a client with
 *   prior knowledge) on an HTTP/1.x listener -> 505 WEIR_ERR_HTTP_VERSION_NOT_SUPPORTED, as for
 *   any request line naming HTTP/2 (`requestHeadError`);
 * - any other parser error (`HPE_*`) -> 400 WEIR_ERR_BAD_REQUEST.
 */
export function clientErrorCode(err: Error): ErrorCode {
  const e = err as Error & { code?: unknown; rawPacket?: unknown; bytesParsed?: unknown };
  const code = e.code;
  if (code === 'HPE_HEADER_OVERFLOW') return 'WEIR_ERR_HEADERS_TOO_LARGE';
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return 'WEIR_ERR_REQUEST_TIMEOUT';
  if (code === 'HPE_INVALID_VERSION') return versionErrorCode(e.rawPacket, e.bytesParsed);
  if (code === 'HPE_PAUSED_H2_UPGRADE') return 'WEIR_ERR_HTTP_VERSION_NOT_SUPPORTED';
  return 'WEIR_ERR_BAD_REQUEST';
}

const SLASH = 0x2f;
const DOT = 0x2e;
const CR = 0x0d;
const LF = 0x0a;
const ZERO = 0x30;

/**
 * Tells a well-formed but unsupported version from a malformed one, for `HPE_INVALID_VERSION`.
 *
 * llhttp accepts only HTTP/0.9, 1.0, 1.1 and 2.0 (see `requestHeadError` for those) and fails
 * every other `HTTP/D.D` right after its minor digit, so `bytesParsed` then points just past
 * `/D.D` in `rawPacket` (the chunk being parsed), followed by CR, LF or the end of the chunk.
 * Such a version is syntactically valid (RFC 9112 section 2.3) but not spoken here:
 * - major 2 to 9 (`HTTP/3.0`, `HTTP/2.1`) -> 505 WEIR_ERR_HTTP_VERSION_NOT_SUPPORTED (RFC 9110
 *   section 15.6.6);
 * - HTTP/1.2 to 1.9 -> 505 as well. RFC 9110 section 2.5 asks a recipient to treat them as 1.1,
 *   but llhttp refuses them in strict mode and the only way to loosen it (`insecureHTTPParser`)
 *   also loosens the checks that stop request smuggling; 505 says what happened, while 400
 *   would call a valid request malformed;
 * - major 0 (`HTTP/0.8`) -> 400, as HTTP/0.9 requests are.
 *
 * Anything else is malformed -> 400 WEIR_ERR_BAD_REQUEST: `HTTP/1.10`, `HTTP/10.0`, `HTTP/2`,
 * `HTTP/1.1x` (llhttp fails at the offending byte, so the pattern above does not hold). Also 400
 * when the version is not in the chunk (a client that trickled its request line in pieces):
 * the major digit is then out of sight, and 400 is the answer for a version Weir cannot read.
 */
export function versionErrorCode(packet: unknown, at: unknown): ErrorCode {
  if (!Buffer.isBuffer(packet) || typeof at !== 'number' || at < 4 || at > packet.length) return 'WEIR_ERR_BAD_REQUEST';
  const major = packet[at - 3] as number;
  if (packet[at - 4] !== SLASH || !isDigit(major) || packet[at - 2] !== DOT || !isDigit(packet[at - 1] as number)) {
    return 'WEIR_ERR_BAD_REQUEST';
  }
  if (at < packet.length && packet[at] !== CR && packet[at] !== LF) return 'WEIR_ERR_BAD_REQUEST';
  return major === ZERO ? 'WEIR_ERR_BAD_REQUEST' : 'WEIR_ERR_HTTP_VERSION_NOT_SUPPORTED';
}

function isDigit(c: number): boolean {
  return c >= ZERO && c <= 0x39;
}

/** What `onClientError` reads of Node's internals on the socket. */
interface HttpSocket extends Duplex {
  /** The response being written on this connection (Node's `ServerResponse`), or null. */
  _httpMessage?: (EventEmitter & { headersSent?: boolean }) | null;
  /** Node's parser; `incoming` is the last request whose head it completed. */
  parser?: { incoming?: { complete?: boolean } | null } | null;
}

/** Sockets whose error answer waits for the responses ahead of it (see `onClientError`). */
const deferred = new WeakSet<Duplex>();

/**
 * `clientError` listener: answers with the JSON error when the socket can still carry one, then
 * closes it. Without a listener Node writes its own plain-text 400; with one, Node leaves the
 * socket to us. A reset or already-closed socket only needs destroying.
 *
 * A response still under way on the socket (`_httpMessage`) is either for the very request that
 * failed (a request timeout or a bad chunk while its body arrives: Node's `parser.incoming` is
 * not complete) or for an earlier request of a pipeline whose next head is malformed or late.
 * - The same request: if the response started, another status line would corrupt it, so the
 *   socket is just destroyed; if not, the error answers it.
 * - A later pipelined request: the error waits until every response ahead of it is written, so
 *   each answer reaches the request it belongs to (RFC 9112 section 9.3.2); answering at once,
 *   as Node does, would hand the client an error for a request that was in fact served. If one
 *   of those responses closes the connection (HTTP/1.0, `Connection: close`, a refused request
 *   line), nothing more is sent: bytes after a closing request are not a request
 *   (`HPE_CLOSED_CONNECTION`; RFC 9112 section 9.6). Reading stops meanwhile: the parser is
 *   dead, and there is nothing left to read for the requests still being answered.
 */
export function onClientError(err: Error, socket: Duplex): void {
  const code = (err as Error & { code?: unknown }).code;
  if (code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  if (deferred.has(socket)) return;
  const http = socket as HttpSocket;
  const busy = http._httpMessage;
  if (busy !== undefined && busy !== null) {
    const incoming = http.parser?.incoming;
    if (incoming === undefined || incoming === null || incoming.complete === true) {
      deferred.add(socket);
      socket.pause();
      answerAfter(http, busy, clientErrorCode(err));
      return;
    }
    if (busy.headersSent === true) {
      socket.destroy();
      return;
    }
  }
  answer(socket, clientErrorCode(err));
}

/**
 * Waits for `pending` to finish, then for the response Node starts next on the socket, and so on;
 * answers once none is left. Node's own `finish` listener (registered when the response was
 * created, so it runs first) has by then moved `_httpMessage` on to the next response, or ended
 * the socket after a closing one.
 */
function answerAfter(socket: HttpSocket, pending: EventEmitter, code: ErrorCode): void {
  pending.once('finish', () => {
    // Ended by Node after a closing response (`destroySoon` closes it once flushed).
    if (!socket.writable) return;
    const next = socket._httpMessage;
    if (next !== undefined && next !== null && next !== pending) answerAfter(socket, next, code);
    else answer(socket, code);
  });
}

function answer(socket: Duplex, code: ErrorCode): void {
  socket.end(rawErrorResponse(code));
  // end() flushes the response; destroySoon-style close once it is written, so a client that
  // never closes its side does not keep the socket open.
  socket.once('finish', destroySocket);
}

function destroySocket(this: Duplex): void {
  this.destroy();
}
