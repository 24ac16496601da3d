import { copyRequestHeaders, copyResponseHeaders, REQUEST_HAS_BODY } from '../../src/index';

/** `client` null stands for an unknown client address (a socket already gone). */
function copy(raw: string[], client: string | null = '10.0.0.1', hostOverride: string | null = null) {
  const out: string[] = [];
  const flags = copyRequestHeaders(raw, out, client ?? undefined, hostOverride);
  return { out, flags };
}

describe('copyRequestHeaders', () => {
  it('keeps end-to-end fields in order and adds the forwarding fields', () => {
    expect.assertions(2);
    const { out, flags } = copy(['Host', 'a.example', 'Accept', '*/*', 'X-Trace', '1']);
    expect(out).toEqual([
      'Host', 'a.example', 'Accept', '*/*', 'X-Trace', '1',
      'x-forwarded-for', '10.0.0.1',
      'x-forwarded-proto', 'http',
      'x-forwarded-host', 'a.example',
      'via', '1.1 weir',
    ]);
    expect(flags & REQUEST_HAS_BODY).toBe(0);
  });

  it('drops hop-by-hop fields in any case, and the fields Connection names', () => {
    expect.assertions(1);
    const { out } = copy([
      'CONNECTION', 'Keep-Alive, X-A , x-b',
      'x-a', '1', 'X-B', '2', 'X-C', '3',
      'kEEp-alive', 'timeout=1', 'Proxy-Connection', 'x', 'Te', 'trailers', 'TRAILER', 'x',
      'Upgrade', 'h2c', 'Expect', '100-continue', 'Transfer-Encoding', 'chunked',
    ]);
    expect(out.filter((_, i) => i % 2 === 0)).toEqual(['X-C', 'x-forwarded-for', 'x-forwarded-proto', 'via']);
  });

  it('never lets Connection remove Host or Content-Length', () => {
    expect.assertions(1);
    const { out } = copy(['Host', 'h', 'Content-Length', '3', 'Connection', 'host, content-length']);
    expect(out.slice(0, 4)).toEqual(['Host', 'h', 'Content-Length', '3']);
  });

  it('drops forwarding fields Connection names before adding its own', () => {
    expect.assertions(2);
    const { out } = copy(['X-Forwarded-For', '1.1.1.1', 'Via', '1.0 a', 'Connection', 'x-forwarded-for, via']);
    expect(out[out.indexOf('x-forwarded-for') + 1]).toBe('10.0.0.1');
    expect(out[out.indexOf('via') + 1]).toBe('1.1 weir');
  });

  it('reports a body for Transfer-Encoding or a non-zero Content-Length only', () => {
    expect.assertions(3);
    expect(copy(['Transfer-Encoding', 'chunked']).flags & REQUEST_HAS_BODY).toBe(REQUEST_HAS_BODY);
    expect(copy(['Content-Length', '10']).flags & REQUEST_HAS_BODY).toBe(REQUEST_HAS_BODY);
    expect(copy(['Content-Length', '0']).flags & REQUEST_HAS_BODY).toBe(0);
  });

  it('replaces Host with the absolute-form authority', () => {
    expect.assertions(2);
    const { out } = copy(['Host', 'ignored', 'Accept', '*/*'], '10.0.0.1', 'abs.example');
    expect(out.filter((v) => v === 'ignored')).toEqual([]);
    expect(out.slice(2, 4)).toEqual(['host', 'abs.example']);
  });

  it('passes X-Forwarded-For through when the client address is unknown', () => {
    expect.assertions(1);
    const { out } = copy(['X-Forwarded-For', '1.1.1.1'], null);
    expect(out[out.indexOf('x-forwarded-for') + 1]).toBe('1.1.1.1');
  });
});

describe('copyResponseHeaders', () => {
  it('drops hop-by-hop fields and those Connection names, keeps repeated fields, appends Via', () => {
    expect.assertions(1);
    expect(
      copyResponseHeaders({
        'content-type': 'text/plain',
        connection: 'keep-alive, x-private',
        'x-private': 'secret',
        'keep-alive': 'timeout=5',
        'transfer-encoding': 'chunked',
        'set-cookie': ['a=1', 'b=2'],
        via: '1.0 cache',
      }),
    ).toEqual(['content-type', 'text/plain', 'set-cookie', 'a=1', 'set-cookie', 'b=2', 'via', '1.0 cache, 1.1 weir']);
  });
});
