import { ServerResponse, type IncomingMessage } from 'node:http';
import { Http2ServerResponse } from 'node:http2';

/** What a response needs to reach its exchange from a shared event listener. */
export interface ResponseOwner {
  onClientClose(): void;
  onClientDrain(): void;
}

/**
 * The response side of one request as the pipeline sees it, whichever protocol the request came
 * on: `ProxyResponse` (HTTP/1.1) and `H2ProxyResponse` (HTTP/2, Node's compatibility API) both
 * satisfy it. Header lists are flat `[name, value, ...]` arrays, which both accept.
 */
export interface ClientResponse {
  /** The exchange writing this response; null when none is attached or it has finished. */
  exchange: ResponseOwner | null;
  /** HTTP/1.1: false closes the connection after this response. HTTP/2: ignored (no effect). */
  shouldKeepAlive: boolean;
  readonly headersSent: boolean;
  readonly writableEnded: boolean;
  readonly destroyed: boolean;
  writeHead(statusCode: number, headers: string[]): unknown;
  write(chunk: Buffer): boolean;
  end(chunk?: Buffer | string): unknown;
  destroy(error?: Error): unknown;
  addTrailers(headers: Record<string, string | string[] | undefined>): void;
  on(event: 'close' | 'drain', listener: (this: ClientResponse) => void): unknown;
}

/**
 * Node's `ServerResponse` with one extra field: the exchange serving it. Listeners use this
 * class (`http.createServer({ ServerResponse: ProxyResponse })`), so the `close` and `drain`
 * listeners below are two module-level functions that find their exchange through `this`,
 * rather than two closures allocated per request (STYLE.md rule 7).
 */
export class ProxyResponse<Request extends IncomingMessage = IncomingMessage> extends ServerResponse<Request> {
  /** The exchange writing this response; null when none is attached or it has finished. */
  exchange: ResponseOwner | null = null;
}

/**
 * The HTTP/2 counterpart of `ProxyResponse` (`http2.createSecureServer({ Http2ServerResponse })`).
 * `shouldKeepAlive` exists so the pipeline can set it without asking the protocol: on HTTP/2 a
 * connection is closed with GOAWAY by the listener, never by one response.
 */
export class H2ProxyResponse extends Http2ServerResponse {
  exchange: ResponseOwner | null = null;
  shouldKeepAlive = true;
}

/** `close` listener: the client connection closed (or the response finished). */
export function onResponseClose(this: ClientResponse): void {
  const owner = this.exchange;
  if (owner !== null) owner.onClientClose();
}

/** `drain` listener: the client caught up, so upstream reading may resume. */
export function onResponseDrain(this: ClientResponse): void {
  const owner = this.exchange;
  if (owner !== null) owner.onClientDrain();
}
