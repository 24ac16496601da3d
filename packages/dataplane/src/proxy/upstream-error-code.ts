import type { ErrorCode } from '@weir/errors';

/**
 * Maps an error from an undici round trip to Weir's stable code. The one place that knows
 * undici's and Node's error codes; everything downstream (status, body, metrics, access log)
 * works with the Weir code.
 *
 * | cause                                                        | code                            | status |
 * |--------------------------------------------------------------|---------------------------------|--------|
 * | `UND_ERR_CONNECT_TIMEOUT` (ConnectTimeoutError)              | WEIR_ERR_UPSTREAM_CONNECT_TIMEOUT | 504  |
 * | a failed `connect`/`getaddrinfo` (ECONNREFUSED, ENOTFOUND,   | WEIR_ERR_UPSTREAM_CONNECT       | 502    |
 * |   EHOSTUNREACH, ENETUNREACH, EAI_AGAIN, ...)                 |                                 |        |
 * | `UND_ERR_HEADERS_TIMEOUT` (HeadersTimeoutError)              | WEIR_ERR_UPSTREAM_TIMEOUT       | 504    |
 * | `UND_ERR_BODY_TIMEOUT` (BodyTimeoutError)                    | WEIR_ERR_UPSTREAM_IDLE_TIMEOUT  | 504    |
 * | `UND_ERR_SOCKET` (SocketError: "other side closed"),         | WEIR_ERR_UPSTREAM_RESET         | 502    |
 * |   ECONNRESET, EPIPE on an established connection             |                                 |        |
 * | `HPE_*` (HTTPParserError: the upstream broke HTTP/1.1)       | WEIR_ERR_UPSTREAM_PROTOCOL      | 502    |
 * | `UND_ERR_INVALID_ARG`, `UND_ERR_NOT_SUPPORTED`,              | WEIR_ERR_BAD_REQUEST            | 400    |
 * |   `UND_ERR_REQ_CONTENT_LENGTH_MISMATCH`: undici refused what |                                 |        |
 * |   the client sent (duplicate Host, bad header value, ...)    |                                 |        |
 * | anything else                                                | WEIR_ERR_UPSTREAM_FAILURE       | 502    |
 *
 * Connect failures are told apart from resets by `syscall`: Node sets it to `connect` or
 * `getaddrinfo` when the socket never opened, which is also what makes them safe to retry for
 * any method (STYLE.md rule 11). A client that went away is not decided here: the exchange
 * knows that from its own socket and records WEIR_ERR_CLIENT_ABORTED instead.
 */
export function upstreamErrorCode(err: Error): ErrorCode {
  const e = err as Error & { code?: unknown; syscall?: unknown };
  const code = e.code;
  if (e.syscall === 'connect' || e.syscall === 'getaddrinfo') return 'WEIR_ERR_UPSTREAM_CONNECT';
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'WEIR_ERR_UPSTREAM_CONNECT_TIMEOUT';
    case 'UND_ERR_HEADERS_TIMEOUT':
      return 'WEIR_ERR_UPSTREAM_TIMEOUT';
    case 'UND_ERR_BODY_TIMEOUT':
      return 'WEIR_ERR_UPSTREAM_IDLE_TIMEOUT';
    case 'UND_ERR_SOCKET':
    case 'ECONNRESET':
    case 'EPIPE':
      return 'WEIR_ERR_UPSTREAM_RESET';
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EAI_AGAIN':
    case 'EADDRNOTAVAIL':
      return 'WEIR_ERR_UPSTREAM_CONNECT';
    case 'UND_ERR_INVALID_ARG':
    case 'UND_ERR_NOT_SUPPORTED':
    case 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH':
      return 'WEIR_ERR_BAD_REQUEST';
    default:
      if (typeof code === 'string' && code.startsWith('HPE_')) return 'WEIR_ERR_UPSTREAM_PROTOCOL';
      return 'WEIR_ERR_UPSTREAM_FAILURE';
  }
}
