import { ServerResponse, type IncomingMessage } from 'node:http';

/** What a response needs to reach its exchange from a shared event listener. */
export interface ResponseOwner {
  onClientClose(): void;
  onClientDrain(): void;
  onClientIdle(): void;
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

/** `close` listener: the client connection closed (or the response finished). */
export function onResponseClose(this: ProxyResponse): void {
  const owner = this.exchange;
  if (owner !== null) owner.onClientClose();
}

/**
 * `timeout` listener, attached only while the request body is guarded: the client socket was
 * silent for its timeout. Node's server emits it on the current response (and destroys the
 * socket only when nobody listens), so the exchange decides what the silence means.
 */
export function onResponseTimeout(this: ProxyResponse): void {
  const owner = this.exchange;
  if (owner !== null) owner.onClientIdle();
}

/** `drain` listener: the client caught up, so upstream reading may resume. */
export function onResponseDrain(this: ProxyResponse): void {
  const owner = this.exchange;
  if (owner !== null) owner.onClientDrain();
}
