import { catalogue, type ErrorCode } from './catalogue';

/**
 * The one body shape of every error the proxy or the admin API produces itself:
 *
 *     {"error":{"code":"WEIR_ERR_NO_ROUTE","status":404,"message":"No route matches the request."}}
 *
 * Proxy error bodies never echo request data (no reflected input, nothing to escape), so each
 * code's body is built once and reused as a Buffer on the hot path.
 */
export interface ErrorBody {
  readonly error: {
    readonly code: ErrorCode;
    readonly status: number;
    readonly message: string;
    readonly pointer?: string;
    readonly details?: readonly { pointer: string; message: string }[];
  };
}

const bodies = new Map<ErrorCode, Buffer>();

/** The prebuilt JSON body for a code, with the catalogue's description as message. */
export function errorBodyBuffer(code: ErrorCode): Buffer {
  let body = bodies.get(code);
  if (body === undefined) {
    const entry = catalogue[code];
    body = Buffer.from(JSON.stringify({ error: { code, status: entry.status, message: entry.description } }) + '\n');
    bodies.set(code, body);
  }
  return body;
}
