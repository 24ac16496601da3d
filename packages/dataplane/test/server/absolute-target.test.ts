import { absoluteTargetError, parseAbsoluteTarget } from '../../src/server/absolute-target';

describe('absoluteTargetError', () => {
  it.each([
    ['OPTIONS *', '*', 'OPTIONS', 'weir.test'],
    ['an http URI agreeing with Host', 'http://weir.test/a?b', 'GET', 'weir.test'],
    ['an https URI, any case, default port', 'HTTPS://Weir.Test:443/a', 'GET', 'weir.test'],
    ['a URI without a path', 'http://weir.test', 'GET', 'weir.test'],
    ['a URI with only a query', 'http://weir.test?x', 'GET', 'weir.test'],
    ['no Host (HTTP/1.0)', 'http://weir.test/a', 'GET', undefined],
    ['an IPv6 literal', 'http://[::1]:8080/a', 'GET', '[::1]:8080'],
  ])('accepts %s', (_name, url, method, host) => {
    expect(absoluteTargetError(url, method, host)).toBeNull();
  });

  it.each([
    ['* with GET (RFC 9112 section 3.2.4)', '*', 'GET', 'weir.test'],
    ['another scheme', 'ftp://weir.test/a', 'GET', 'weir.test'],
    ['a scheme that only starts with http', 'httpx://weir.test/a', 'GET', 'weir.test'],
    ['an empty authority', 'http:///a', 'GET', 'weir.test'],
    ['an empty authority without Host', 'http:///a', 'GET', undefined],
    ['userinfo', 'http://user@weir.test/a', 'GET', 'weir.test'],
    ['userinfo without Host', 'http://user:pw@weir.test/a', 'GET', undefined],
    ['an invalid authority', 'http://a,b/a', 'GET', 'a,b'],
    ['another host than Host', 'http://other.test/a', 'GET', 'weir.test'],
    ['another port than Host', 'http://weir.test:8080/a', 'GET', 'weir.test'],
    ['the https default port with http', 'http://weir.test:443/a', 'GET', 'weir.test'],
    ['an empty Host', 'http://weir.test/a', 'GET', ''],
  ])('refuses %s', (_name, url, method, host) => {
    expect(absoluteTargetError(url, method, host)).toBe('WEIR_ERR_BAD_REQUEST');
  });
});

describe('parseAbsoluteTarget', () => {
  it('splits an absolute URI into scheme, authority and the origin-form target', () => {
    expect(parseAbsoluteTarget('http://a.example/x?y=1')).toEqual({ secure: false, host: 'a.example', target: '/x?y=1' });
    expect(parseAbsoluteTarget('HTTPS://a.example:8443')).toEqual({ secure: true, host: 'a.example:8443', target: '/' });
    expect(parseAbsoluteTarget('http://a.example?q')).toEqual({ secure: false, host: 'a.example', target: '/?q' });
  });

  it('is null for other forms and schemes', () => {
    expect(parseAbsoluteTarget('*')).toBeNull();
    expect(parseAbsoluteTarget('a.example:443')).toBeNull();
    expect(parseAbsoluteTarget('ftp://a.example/')).toBeNull();
  });
});
