/**
 * `upstreamErrorCode` for TLS failures (issue 8), without sockets: the codes Node gives failed
 * handshakes, refused certificates and alerts all map to WEIR_ERR_UPSTREAM_TLS.
 */
import { upstreamErrorCode } from '../../src/index';

function err(code: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(code), { code }, extra);
}

describe('upstreamErrorCode for TLS', () => {
  it.each([
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'SELF_SIGNED_CERT_IN_CHAIN',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    'CERT_HAS_EXPIRED',
    'CERT_NOT_YET_VALID',
    'ERR_TLS_CERT_ALTNAME_INVALID',
    'ERR_SSL_WRONG_VERSION_NUMBER',
    'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE',
    'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
  ])('maps %s to WEIR_ERR_UPSTREAM_TLS', (code) => {
    expect(upstreamErrorCode(err(code))).toBe('WEIR_ERR_UPSTREAM_TLS');
  });

  it('maps a close caused by a TLS alert to TLS, and any other close to a reset', () => {
    expect.assertions(3);
    const alert = err('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED');
    expect(upstreamErrorCode(err('UND_ERR_SOCKET', { cause: alert }))).toBe('WEIR_ERR_UPSTREAM_TLS');
    expect(upstreamErrorCode(err('UND_ERR_SOCKET'))).toBe('WEIR_ERR_UPSTREAM_RESET');
    expect(upstreamErrorCode(err('UND_ERR_SOCKET', { cause: err('ECONNRESET') }))).toBe('WEIR_ERR_UPSTREAM_RESET');
  });

  it('keeps connect failures and unknown codes as they were', () => {
    expect.assertions(2);
    expect(upstreamErrorCode(err('ECONNREFUSED', { syscall: 'connect' }))).toBe('WEIR_ERR_UPSTREAM_CONNECT');
    expect(upstreamErrorCode(err('SOMETHING_ELSE'))).toBe('WEIR_ERR_UPSTREAM_FAILURE');
  });
});
