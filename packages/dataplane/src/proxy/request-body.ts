import type { IncomingMessage } from 'node:http';

/** Where `bufferRequestBody` delivers a request body read whole. */
export interface BodyReceiver {
  /** The whole body arrived (`body.length` is the declared Content-Length). */
  onBodyBuffered(body: Buffer): void;
}

/** The buffering state of one request, hung on the request under a private symbol. */
class BodyBuffer {
  readonly receiver: BodyReceiver;
  readonly body: Buffer;
  offset: number;

  constructor(receiver: BodyReceiver, length: number) {
    this.receiver = receiver;
    this.body = Buffer.allocUnsafe(length);
    this.offset = 0;
  }
}

const BUFFER = Symbol('weir.requestBody');

type BufferingRequest = IncomingMessage & { [BUFFER]?: BodyBuffer };

/**
 * Whether the request announces a body (RFC 9112 section 6.3: `Transfer-Encoding`, or a
 * `Content-Length` other than 0). Only asked on error paths, to decide whether an unread body
 * forces the connection closed: `req.complete` is still false while the request handler runs,
 * even for a GET that has no body at all, so it cannot decide alone.
 */
export function announcesBody(raw: readonly string[]): boolean {
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    if (name.length === 17 && name.toLowerCase() === 'transfer-encoding') return true;
    if (name.length === 14 && name.toLowerCase() === 'content-length' && raw[i + 1] !== '0') return true;
  }
  return false;
}

/**
 * The request's declared body length when it can be kept for replay: a single `Content-Length`
 * of at most `limit` bytes; -1 otherwise (chunked, larger, or malformed). Reads Node's lazily
 * built `req.headers`, which is why the proxy asks only for requests that may be retried after
 * sending.
 */
export function replayableLength(req: IncomingMessage, limit: number): number {
  const value = req.headers['content-length'];
  if (value === undefined || req.headers['transfer-encoding'] !== undefined) return -1;
  const n = Number(value);
  return Number.isSafeInteger(n) && n >= 0 && n <= limit ? n : -1;
}

/**
 * Reads a request body of `length` bytes (from `replayableLength`) into one buffer and hands it
 * to `receiver` when complete, so an attempt that fails after sending can send it again (nginx
 * buffers request bodies before proxying by default for the same reason). The listeners are
 * module functions that find their state through the request, not closures (STYLE.md rule 7).
 * A client that goes away mid-body never completes: its exchange ends through the response's
 * `close` event. One that stalls mid-body is caught by the exchange's body guard (the same
 * socket idle timer as a streamed body: 408 WEIR_ERR_CLIENT_BODY_TIMEOUT).
 */
export function bufferRequestBody(req: IncomingMessage, receiver: BodyReceiver, length: number): void {
  (req as BufferingRequest)[BUFFER] = new BodyBuffer(receiver, length);
  req.on('data', onBodyData);
  req.on('end', onBodyEnd);
}

function onBodyData(this: BufferingRequest, chunk: Buffer): void {
  const b = this[BUFFER] as BodyBuffer;
  // Node's parser frames the body by Content-Length, so chunks never overflow the buffer.
  b.offset += chunk.copy(b.body, b.offset);
}

function onBodyEnd(this: BufferingRequest): void {
  const b = this[BUFFER] as BodyBuffer;
  this[BUFFER] = undefined;
  this.off('data', onBodyData);
  this.off('end', onBodyEnd);
  b.receiver.onBodyBuffered(b.offset === b.body.length ? b.body : b.body.subarray(0, b.offset));
}
