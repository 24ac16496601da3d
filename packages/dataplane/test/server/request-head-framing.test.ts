import type { IncomingMessage } from 'node:http';
import { requestHeadError } from '../../src/server/request-head';

/**
 * Issue 9: the head checks llhttp leaves to Weir (measured with raw sockets, see
 * apps/weir/test/fixtures/malformed-corpus.ts): Transfer-Encoding other than one `chunked` on
 * HTTP/1.1, an invalid Host value, a fragment or a disagreeing absolute-form target, and a
 * header list Node may have cut short.
 */
function req(rawHeaders: string[], options: { url?: string; minor?: number; method?: string } = {}): IncomingMessage {
  return {
    httpVersionMajor: 1,
    httpVersionMinor: options.minor ?? 1,
    method: options.method ?? 'POST',
    url: options.url ?? '/a',
    rawHeaders,
  } as unknown as IncomingMessage;
}

const HOST = ['Host', 'weir.test'];

describe('requestHeadError: framing, Host syntax and target', () => {
  it.each([
    ['Transfer-Encoding: chunked', req([...HOST, 'Transfer-Encoding', 'chunked'])],
    ['transfer-encoding: CHUNKED', req([...HOST, 'transfer-encoding', 'CHUNKED'])],
    ['TRANSFER-ENCODING: Chunked', req([...HOST, 'TRANSFER-ENCODING', 'Chunked'])],
    ['17-character names that are not Transfer-Encoding', req([...HOST, 'If-Modified-Since', 'x', 'Sec-WebSocket-Key', 'y', 'Transfer-Encodinh', 'gzip'])],
    ['TE: gzip (a different field)', req([...HOST, 'TE', 'gzip'])],
    ['a Host with a port', req(['Host', 'weir.test:8080'])],
    ['an absolute-form target agreeing with Host', req(HOST, { url: 'http://weir.test/a' })],
    ['OPTIONS *', req(HOST, { url: '*', method: 'OPTIONS' })],
    ['HTTP/1.0 absolute-form without Host', req([], { url: 'http://weir.test/a', minor: 0 })],
    ['999 field lines', req([...HOST, ...new Array<string>(1996).fill('x')])],
  ])('accepts %s', (_name, request) => {
    expect(requestHeadError(request)).toBeNull();
  });

  it.each([
    ['Transfer-Encoding: gzip, chunked', req([...HOST, 'Transfer-Encoding', 'gzip, chunked'])],
    ['Transfer-Encoding: identity, chunked', req([...HOST, 'Transfer-Encoding', 'identity, chunked'])],
    ['an empty Transfer-Encoding', req([...HOST, 'Transfer-Encoding', ''])],
    ['Transfer-Encoding: chunkee', req([...HOST, 'Transfer-Encoding', 'chunkee'])],
    ['Transfer-Encoding: gzip', req([...HOST, 'Transfer-Encoding', 'gzip'])],
    ['two Transfer-Encoding lines', req([...HOST, 'Transfer-Encoding', 'gzip', 'transfer-encoding', 'chunked'])],
    ['two chunked Transfer-Encoding lines', req([...HOST, 'Transfer-Encoding', 'chunked', 'Transfer-Encoding', 'chunked'])],
    ['Transfer-Encoding on HTTP/1.0', req([...HOST, 'Transfer-Encoding', 'chunked'], { minor: 0 })],
    ['Transfer-Encoding on HTTP/1.0 without Host', req(['Transfer-Encoding', 'chunked'], { minor: 0 })],
    ['an invalid Host', req(['Host', 'weir.test/admin'])],
    ['an invalid Host on HTTP/1.0', req(['Host', 'u@weir.test'], { minor: 0 })],
    ['a fragment', req(HOST, { url: '/a#b' })],
    ['an absolute-form target naming another host', req(HOST, { url: 'http://other.test/a' })],
    ['GET *', req(HOST, { url: '*', method: 'GET' })],
  ])('refuses %s with 400', (_name, request) => {
    expect(requestHeadError(request)).toBe('WEIR_ERR_BAD_REQUEST');
  });

  it('refuses 1000 field lines or more with 431: Node may have dropped the rest', () => {
    expect.assertions(2);
    expect(requestHeadError(req([...HOST, ...new Array<string>(1998).fill('x')]))).toBe('WEIR_ERR_HEADERS_TOO_LARGE');
    expect(requestHeadError(req([...HOST, ...new Array<string>(3000).fill('x')]))).toBe('WEIR_ERR_HEADERS_TOO_LARGE');
  });
});
