import type { IncomingMessage } from 'node:http';
import { catalogue } from '@weir/errors';
import { announcesBody } from './request-body';
import type { ClientResponse } from './proxy-response';

const CODE = 'WEIR_ERR_FAULT_INJECTED';

/** Bodies by status, built once: the catalogue shape with the configured status. */
const bodies = new Map<number, Buffer>();

/**
 * Answers an injected abort (`traffic.fault.abort`): the configured status with the catalogue's
 * JSON error body for WEIR_ERR_FAULT_INJECTED (its `status` field the configured one) and
 * `x-weir-error`, so an injected failure is never mistaken for a real upstream error. Returns
 * the status sent.
 */
export function sendFault(res: ClientResponse, status: number, req: IncomingMessage): number {
  let body = bodies.get(status);
  if (body === undefined) {
    body = Buffer.from(JSON.stringify({ error: { code: CODE, status, message: catalogue[CODE].description } }) + '\n');
    bodies.set(status, body);
  }
  if (!req.complete && announcesBody(req.rawHeaders)) res.shouldKeepAlive = false;
  res.writeHead(status, ['content-type', 'application/json', 'content-length', String(body.length), 'x-weir-error', CODE]);
  res.end(body);
  return status;
}
