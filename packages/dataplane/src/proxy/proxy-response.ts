import { ServerResponse, type IncomingMessage } from 'node:http';

/** What a response needs to reach its exchange from a shared event listener. */
export interface ResponseOwner {
  onClientClose(): void;
  onClientDrain(): void;
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

/** `drain` listener: the client caught up, so upstream reading may resume. */
export function onResponseDrain(this: ProxyResponse): void {
  const owner = this.exchange;
  if (owner !== null) owner.onClientDrain();
}
