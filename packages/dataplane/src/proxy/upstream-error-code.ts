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
 * | a failed TLS handshake: a certificate refused (X.509 codes    | WEIR_ERR_UPSTREAM_TLS           | 502    |
 * |   such as `DEPTH_ZERO_SELF_SIGNED_CERT`, `CERT_HAS_EXPIRED`), |                                 |        |
 * |   a name mismatch (`ERR_TLS_CERT_ALTNAME_INVALID`), an        |                                 |        |
 * |   OpenSSL alert or protocol error (`ERR_SSL_*`, e.g. the      |                                 |        |
 * |   upstream wants a client certificate, or speaks plain HTTP), |                                 |        |
 * |   or `UND_ERR_SOCKET` caused by a TLS alert (TLS 1.3 client   |                                 |        |
 * |   certificate refused after the handshake)                   |                                 |        |
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
 *
 * TLS handshake failures are connect failures, as in Envoy (`connection_failure` with a
 * `TLS_error` detail, retried under `connect-failure`): no HTTP request was processed, and
 * another endpoint may well present a certificate that passes.
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
      // A TLS 1.3 alert after the handshake (a refused client certificate), then the close.
      return isTlsCode((e.cause as { code?: unknown } | undefined)?.code) ? 'WEIR_ERR_UPSTREAM_TLS' : 'WEIR_ERR_UPSTREAM_RESET';
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
    case 'WEIR_ERR_BODY_TOO_LARGE':
      // The route's BodyLimit failed the streamed body (limits.maxBodyBytes).
      return 'WEIR_ERR_BODY_TOO_LARGE';
    case 'UND_ERR_INVALID_ARG':
    case 'UND_ERR_NOT_SUPPORTED':
    case 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH':
      return 'WEIR_ERR_BAD_REQUEST';
    default:
      if (typeof code !== 'string') return 'WEIR_ERR_UPSTREAM_FAILURE';
      if (code.startsWith('HPE_')) return 'WEIR_ERR_UPSTREAM_PROTOCOL';
      if (isTlsCode(code)) return 'WEIR_ERR_UPSTREAM_TLS';
      return 'WEIR_ERR_UPSTREAM_FAILURE';
  }
}

/** Whether `code` is one of Node's TLS error codes (handshake, alert, certificate). */
function isTlsCode(code: unknown): boolean {
  if (typeof code !== 'string') return false;
  return code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || X509_VERIFY_CODES.has(code);
}

/**
 * The codes Node gives certificate verification failures: OpenSSL's `X509_V_ERR_*` names
 * without the prefix (Node's src/crypto/crypto_common.cc, `X509_ERROR_CODES`).
 */
const X509_VERIFY_CODES: ReadonlySet<string> = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_CRL',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECRYPT_CRL_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'CERT_SIGNATURE_FAILURE',
  'CRL_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'CRL_NOT_YET_VALID',
  'CRL_HAS_EXPIRED',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
  'ERROR_IN_CRL_LAST_UPDATE_FIELD',
  'ERROR_IN_CRL_NEXT_UPDATE_FIELD',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_CHAIN_TOO_LONG',
  'CERT_REVOKED',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'HOSTNAME_MISMATCH',
]);
