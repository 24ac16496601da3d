import { h1RawHeaders } from '../../src/server/index';

describe('h1RawHeaders', () => {
  it('drops pseudo-headers and turns :authority into a leading host', () => {
    const raw = [':method', 'GET', ':scheme', 'https', ':authority', 'a.example', ':path', '/x', 'accept', '*/*'];
    expect(h1RawHeaders(raw, true)).toEqual(['host', 'a.example', 'accept', '*/*']);
  });

  it('keeps a host the client sent over :authority', () => {
    expect(h1RawHeaders([':authority', 'a.example', 'host', 'b.example'], true)).toEqual(['host', 'b.example']);
  });

  it('joins split cookie fields with "; " where the first one was (RFC 9113 section 8.2.3)', () => {
    const raw = [':path', '/', 'cookie', 'a=1', 'x-a', '1', 'cookie', 'b=2', 'cookie', 'c=3'];
    expect(h1RawHeaders(raw, true)).toEqual(['cookie', 'a=1; b=2; c=3', 'x-a', '1']);
  });

  it('marks a body of unknown length as chunked, and leaves a counted or absent body alone', () => {
    expect(h1RawHeaders([':method', 'POST'], false)).toEqual(['transfer-encoding', 'chunked']);
    expect(h1RawHeaders([':method', 'POST', 'content-length', '5'], false)).toEqual(['content-length', '5']);
    expect(h1RawHeaders([':method', 'GET'], true)).toEqual([]);
  });
});
