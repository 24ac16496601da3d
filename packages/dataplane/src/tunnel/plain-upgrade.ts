import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { ProxyResponse } from '../proxy/index';

/** Serves an ordinary request (the data plane's `ProxyHandler.handle`). */
export type PlainRequestHandler = (listener: string, req: IncomingMessage, res: ProxyResponse) => void;

/**
 * Serves an upgrade request for a protocol Weir does not tunnel (`Upgrade: h2c` from `curl
 * --http2`, `TLS/1.0`, ...) as the ordinary HTTP/1.1 request it also is: RFC 9110 section 7.8
 * lets a server ignore `Upgrade`, and the request pipeline drops it (hop-by-hop) before
 * forwarding. Envoy does the same for `h2c`.
 *
 * Node has already detached the socket from its HTTP parser, so the response is a
 * `ProxyResponse` assigned to the bare socket by hand (what Node's server does for each
 * request), with `Connection: close`: no further request can be read on this connection. The
 * socket is closed once the response is written. Only requests without a body get here (the
 * caller refuses the others): the parser is gone, so a body could not be read as one.
 */
export function servePlainUpgrade(handle: PlainRequestHandler, listener: string, req: IncomingMessage, socket: Duplex): void {
  const res = new ProxyResponse(req);
  res.shouldKeepAlive = false;
  res.assignSocket(socket as Socket);
  res.on('finish', onPlainFinish);
  handle(listener, req, res);
}

/** The response is written: give the socket back and close it once flushed. */
function onPlainFinish(this: ProxyResponse): void {
  const socket = this.socket;
  if (socket === null) return;
  this.detachSocket(socket);
  socket.destroySoon();
}
