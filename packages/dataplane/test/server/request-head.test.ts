import type { IncomingMessage } from 'node:http';
import { requestHeadError } from '../../src/server/request-head';

/** The fields `requestHeadError` reads, as Node's parser sets them (an origin-form GET). */
function head(major: number, minor: number, rawHeaders: string[]): IncomingMessage {
  return { httpVersionMajor: major, httpVersionMinor: minor, rawHeaders, method: 'GET', url: '/' } as unknown as IncomingMessage;
}

describe('requestHeadError', () => {
  it.each([
    ['HTTP/1.1 with one Host', head(1, 1, ['Host', 'a.example'])],
    ['HTTP/1.1 with Host among others', head(1, 1, ['Accept', '*/*', 'Host', 'a.example:8080', 'X-Hosts', 'b'])],
    ['HTTP/1.1 with an empty Host', head(1, 1, ['host', ''])],
    ['HTTP/1.1 with an IPv6 literal', head(1, 1, ['HOST', '[2001:db8::1]:443'])],
    ['HTTP/1.0 without Host', head(1, 0, ['Accept', '*/*'])],
    ['HTTP/1.0 with one Host', head(1, 0, ['Host', 'a'])],
  ])('accepts %s', (_name, req) => {
    expect(requestHeadError(req)).toBeNull();
  });

  it.each([
    ['HTTP/0.9 (no version)', head(0, 9, []), 'WEIR_ERR_BAD_REQUEST'],
    ['HTTP/2.0', head(2, 0, ['Host', 'a']), 'WEIR_ERR_HTTP_VERSION_NOT_SUPPORTED'],
    ['HTTP/1.1 without Host', head(1, 1, ['Accept', '*/*']), 'WEIR_ERR_BAD_REQUEST'],
    ['HTTP/1.1 with two Host lines', head(1, 1, ['Host', 'a', 'Accept', '*/*', 'hoST', 'a']), 'WEIR_ERR_BAD_REQUEST'],
    ['HTTP/1.0 with two Host lines', head(1, 0, ['Host', 'a', 'Host', 'b']), 'WEIR_ERR_BAD_REQUEST'],
    ['HTTP/1.1 with three Host lines', head(1, 1, ['Host', 'a', 'Host', 'b', 'Host', 'c']), 'WEIR_ERR_BAD_REQUEST'],
  ])('refuses %s', (_name, req, code) => {
    expect(requestHeadError(req)).toBe(code);
  });

  it('does not mistake other 4-letter names for Host', () => {
    // Names of the same length that differ from "host" by more than the case bit do not count,
    // so this request has no Host at all.
    expect(requestHeadError(head(1, 1, ['Hose', 'a', 'Most', 'b', 'Hoss', 'c']))).toBe('WEIR_ERR_BAD_REQUEST');
  });
});
