import { isValidHost, sameAuthority } from '../../src/server/host-syntax';

describe('isValidHost', () => {
  it.each([
    ['empty (RFC 9110 section 7.2)', ''],
    ['a name', 'weir.test'],
    ['a name with a port', 'weir.test:8080'],
    ['an empty port (RFC 3986 section 3.2.3)', 'weir.test:'],
    ['only a port', ':80'],
    ['upper case and a trailing dot', 'WEIR.Test.'],
    ['unreserved characters', 'a-b_c~d.e'],
    ['sub-delims other than a comma', "a!$&'()*+;=b"],
    ['percent escapes', 'a%41%2e%2Eb'],
    ['an IPv4 address', '127.0.0.1:80'],
    ['an IPv6 literal', '[2001:db8::1]'],
    ['an IPv6 literal with a port', '[::1]:8443'],
    ['an IPv6 literal with a zone', '[fe80::1%25eth0]'],
    ['an IPv4-mapped literal', '[::ffff:127.0.0.1]'],
    ['IPvFuture', '[v1.a:b]'],
  ])('accepts %s', (_name, value) => {
    expect(isValidHost(value)).toBe(true);
  });

  it.each([
    ['a space', 'weir test'],
    ['a tab', 'weir\ttest'],
    ['a slash', 'weir.test/admin'],
    ['a backslash', 'weir.test\\admin'],
    ['userinfo', 'user@weir.test'],
    ['a comma (two joined Host lines)', 'a.test,b.test'],
    ['a query', 'weir.test?x'],
    ['a fragment', 'weir.test#x'],
    ['a double quote', '"weir.test"'],
    ['angle brackets', '<weir.test>'],
    ['a URL', 'http://weir.test'],
    ['a non-numeric port', 'weir.test:http'],
    ['two ports', 'weir.test:80:81'],
    ['a port with a sign', 'weir.test:-80'],
    ['an IPv6 address without brackets', '::1'],
    ['an unclosed literal', '[::1'],
    ['an empty literal', '[]'],
    ['bytes after a literal', '[::1]x'],
    ['a bracket inside a name', 'a]b'],
    ['a space inside a literal', '[::1 ]'],
    ['a bad percent escape', 'weir%zz'],
    ['a cut percent escape', 'weir%4'],
    ['a lone percent', 'weir%'],
    ['a byte above 0x7f', 'caf\u00e9.test'],
    ['a control byte', 'weir\u0001test'],
    ['DEL', 'weir\u007ftest'],
  ])('refuses %s', (_name, value) => {
    expect(isValidHost(value)).toBe(false);
  });
});

describe('sameAuthority', () => {
  it.each([
    ['equal', 'weir.test', 'weir.test', '80'],
    ['equal but for case', 'WEIR.test', 'weir.TEST', '80'],
    ['the default port on the authority', 'weir.test:80', 'weir.test', '80'],
    ['the default port on Host', 'weir.test', 'weir.test:443', '443'],
    ['an empty port', 'weir.test:', 'weir.test', '80'],
    ['an IPv6 literal with the default port', '[::1]:80', '[::1]', '80'],
  ])('agrees on %s', (_name, authority, host, port) => {
    expect(sameAuthority(authority, host, port)).toBe(true);
  });

  it.each([
    ['another host', 'other.test', 'weir.test', '80'],
    ['another port', 'weir.test:8080', 'weir.test', '80'],
    ['the other scheme default port', 'weir.test:443', 'weir.test', '80'],
    ['an empty Host', 'weir.test', '', '80'],
    ['an IPv6 literal ending like a port', '[::80]', '[::]', '80'],
  ])('disagrees on %s', (_name, authority, host, port) => {
    expect(sameAuthority(authority, host, port)).toBe(false);
  });
});
