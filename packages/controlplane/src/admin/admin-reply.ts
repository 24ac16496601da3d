import type { ServerResponse } from 'node:http';
import { catalogue, isWeirError, toErrorJSON, type ErrorBody } from '@weir/errors';

/** What an admin handler answers: a status, a JSON body (or none) and extra headers. */
export interface AdminReply {
  readonly status: number;
  /** Serialised as JSON; `undefined` sends no body (304). */
  readonly body?: unknown;
  /** A non-JSON body (the Prometheus exposition), sent as is with `contentType`. */
  readonly raw?: { readonly contentType: string; readonly text: string };
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Headers on every admin response: the answers carry configs and versions, which no cache may
 * keep (`no-store`) and no browser may sniff into something executable.
 */
const COMMON_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

/** Write `reply` to `res` (JSON bodies end with a newline, for curl users). */
export function sendReply(res: ServerResponse, reply: AdminReply): void {
  if (res.headersSent || res.destroyed) return;
  let payload: string | undefined;
  let contentType: string | undefined;
  if (reply.raw !== undefined) {
    payload = reply.raw.text;
    contentType = reply.raw.contentType;
  } else if (reply.body !== undefined) {
    payload = JSON.stringify(reply.body) + '\n';
    contentType = 'application/json; charset=utf-8';
  }
  const headers: Record<string, string | number> = { ...COMMON_HEADERS, ...(reply.headers ?? {}) };
  if (payload !== undefined && contentType !== undefined) {
    headers['content-type'] = contentType;
    headers['content-length'] = Buffer.byteLength(payload);
  }
  res.writeHead(reply.status, headers);
  res.end(payload);
}

/**
 * The reply for a thrown value, in the one error shape (`{"error":{code,status,message,...}}`,
 * apps/weir/docs/errors.md). A WeirError keeps its code, message, pointer and details; anything
 * else is WEIR_ERR_INTERNAL with the catalogue's wording (no internals leak to the client).
 */
export function errorReply(err: unknown, headers?: Readonly<Record<string, string>>): AdminReply {
  const json = isWeirError(err) ? toErrorJSON(err) : { code: 'WEIR_ERR_INTERNAL' as const, message: catalogue.WEIR_ERR_INTERNAL.description };
  const status = catalogue[json.code].status;
  const error: { -readonly [K in keyof ErrorBody['error']]: ErrorBody['error'][K] } = { code: json.code, status, message: json.message };
  if (json.pointer !== undefined) error.pointer = json.pointer;
  if (json.details !== undefined) error.details = json.details.map((d) => ({ pointer: d.pointer, message: d.message }));
  const body: ErrorBody = { error };
  return headers === undefined ? { status, body } : { status, body, headers };
}
