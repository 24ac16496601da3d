import { upstreamErrorCode } from '../../src/index';

function err(code: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(code), { code }, extra);
}

describe('upstreamErrorCode', () => {
  it.each([
    [err('UND_ERR_CONNECT_TIMEOUT'), 'WEIR_ERR_UPSTREAM_CONNECT_TIMEOUT'],
    [err('ECONNREFUSED', { syscall: 'connect' }), 'WEIR_ERR_UPSTREAM_CONNECT'],
    [err('ENOTFOUND', { syscall: 'getaddrinfo' }), 'WEIR_ERR_UPSTREAM_CONNECT'],
    [err('EHOSTUNREACH'), 'WEIR_ERR_UPSTREAM_CONNECT'],
    [err('ECONNRESET', { syscall: 'connect' }), 'WEIR_ERR_UPSTREAM_CONNECT'],
    [err('UND_ERR_HEADERS_TIMEOUT'), 'WEIR_ERR_UPSTREAM_TIMEOUT'],
    [err('UND_ERR_BODY_TIMEOUT'), 'WEIR_ERR_UPSTREAM_IDLE_TIMEOUT'],
    [err('UND_ERR_SOCKET'), 'WEIR_ERR_UPSTREAM_RESET'],
    [err('ECONNRESET', { syscall: 'read' }), 'WEIR_ERR_UPSTREAM_RESET'],
    [err('EPIPE'), 'WEIR_ERR_UPSTREAM_RESET'],
    [err('HPE_INVALID_CONSTANT'), 'WEIR_ERR_UPSTREAM_PROTOCOL'],
    [err('UND_ERR_INVALID_ARG'), 'WEIR_ERR_BAD_REQUEST'],
    [err('UND_ERR_NOT_SUPPORTED'), 'WEIR_ERR_BAD_REQUEST'],
    [new Error('mystery'), 'WEIR_ERR_UPSTREAM_FAILURE'],
  ])('maps %s', (error, code) => {
    expect.assertions(1);
    expect(upstreamErrorCode(error)).toBe(code);
  });
});
