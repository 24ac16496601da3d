import { clientErrorCode, versionErrorCode } from '../../src/server/client-error';

/** A parse error as Node's server hands it to `clientError`. */
function parseError(code: string, packet: string, at: number): Error {
  return Object.assign(new Error(code), { code, rawPacket: Buffer.from(packet, 'latin1'), bytesParsed: at });
}

describe('clientErrorCode', () => {
  it.each([
    ['HPE_HEADER_OVERFLOW', 'WEIR_ERR_HEADERS_TOO_LARGE'],
    ['ERR_HTTP_REQUEST_TIMEOUT', 'WEIR_ERR_REQUEST_TIMEOUT'],
    ['HPE_PAUSED_H2_UPGRADE', 'WEIR_ERR_HTTP_VERSION_NOT_SUPPORTED'],
    ['HPE_INVALID_METHOD', 'WEIR_ERR_BAD_REQUEST'],
    ['HPE_INVALID_CONSTANT', 'WEIR_ERR_BAD_REQUEST'],
    ['HPE_CLOSED_CONNECTION', 'WEIR_ERR_BAD_REQUEST'],
  ])('maps %s to %s', (code, expected) => {
    expect(clientErrorCode(Object.assign(new Error(code), { code }))).toBe(expected);
  });

  it('maps an invalid version through versionErrorCode', () => {
    expect.assertions(2);
    expect(clientErrorCode(parseError('HPE_INVALID_VERSION', 'GET / HTTP/3.0\r\n\r\n', 14))).toBe('WEIR_ERR_HTTP_VERSION_NOT_SUPPORTED');
    expect(clientErrorCode(Object.assign(new Error('x'), { code: 'HPE_INVALID_VERSION' }))).toBe('WEIR_ERR_BAD_REQUEST');
  });
});

describe('versionErrorCode', () => {
  // Offsets are where llhttp (Node 20) stops: just past the minor digit of a well-formed version
  // it does not accept, at the offending byte of a malformed one.
  it.each([
    ['HTTP/3.0', 'GET /c17 HTTP/3.0\r\nHost: a\r\n\r\n', 17, 'WEIR_ERR_HTTP_VERSION_NOT_SUPPORTED'],
    ['HTTP/1.2', 'GET /c17 HTTP/1.2\r\n\r\n', 17, 'WEIR_ERR_HTTP_VERSION_NOT_SUPPORTED'],
    ['HTTP/9.9, LF only', 'GET /c17 HTTP/9.9\n\n', 17, 'WEIR_ERR_HTTP_VERSION_NOT_SUPPORTED'],
    ['HTTP/2.1 ending the chunk', 'GET /c17 HTTP/2.1', 17, 'WEIR_ERR_HTTP_VERSION_NOT_SUPPORTED'],
    ['pipelined HTTP/1.5', 'GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /x HTTP/1.5\r\nHost: a\r\n\r\n', 42, 'WEIR_ERR_HTTP_VERSION_NOT_SUPPORTED'],
    ['HTTP/0.8', 'GET /c17 HTTP/0.8\r\n\r\n', 17, 'WEIR_ERR_BAD_REQUEST'],
    ['HTTP/1.10', 'GET /c17 HTTP/1.10\r\n\r\n', 17, 'WEIR_ERR_BAD_REQUEST'],
    ['HTTP/1.1x', 'GET /c17 HTTP/1.1x\r\n\r\n', 17, 'WEIR_ERR_BAD_REQUEST'],
    ['HTTP/10.0', 'GET /c17 HTTP/10.0\r\n\r\n', 15, 'WEIR_ERR_BAD_REQUEST'],
    ['HTTP/2', 'GET /c17 HTTP/2\r\n\r\n', 15, 'WEIR_ERR_BAD_REQUEST'],
    ['a version split across chunks', '.0\r\n\r\n', 2, 'WEIR_ERR_BAD_REQUEST'],
    ['an offset past the chunk', 'GET /c17 HTTP/3.0', 40, 'WEIR_ERR_BAD_REQUEST'],
  ])('%s -> %s', (_name, packet, at, code) => {
    expect(versionErrorCode(Buffer.from(packet, 'latin1'), at)).toBe(code);
  });

  it('answers 400 without the packet or offset', () => {
    expect.assertions(2);
    expect(versionErrorCode(undefined, 17)).toBe('WEIR_ERR_BAD_REQUEST');
    expect(versionErrorCode(Buffer.from('GET /c17 HTTP/3.0'), undefined)).toBe('WEIR_ERR_BAD_REQUEST');
  });
});
