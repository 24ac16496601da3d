import { ClientAddressResolver } from '../../src/server/client-address';

const PROXIES = ['10.0.0.0/8', '2001:db8:ffff::/48', '192.0.2.1'];

function xff(trustedProxies: readonly string[] = PROXIES): ClientAddressResolver {
  return new ClientAddressResolver({ trustedProxies, header: 'x-forwarded-for' });
}

function forwarded(trustedProxies: readonly string[] = PROXIES): ClientAddressResolver {
  return new ClientAddressResolver({ trustedProxies, header: 'forwarded' });
}

/** rawHeaders with one `name: value` line per value. */
function lines(name: string, ...values: string[]): string[] {
  const raw = ['Host', 'weir.test'];
  for (const value of values) raw.push(name, value);
  raw.push('Accept', '*/*');
  return raw;
}

describe('ClientAddressResolver', () => {
  describe('without trusted proxies', () => {
    it('answers the peer and ignores the header', () => {
      const resolver = xff([]);
      expect(resolver.resolve('203.0.113.9', lines('X-Forwarded-For', '1.1.1.1'))).toBe('203.0.113.9');
      expect(resolver.resolve('2001:db8::9', lines('X-Forwarded-For', '1.1.1.1'))).toBe('2001:db8::9');
    });

    it('returns the peer string itself (no allocation)', () => {
      const peer = ['203', '0', '113', '9'].join('.');
      expect(xff([]).resolve(peer, [])).toBe(peer);
      expect(xff().resolve(peer, lines('x-forwarded-for', '1.1.1.1'))).toBe(peer);
    });

    it('gives an IPv4-mapped peer as IPv4', () => {
      expect(xff([]).resolve('::ffff:203.0.113.9', [])).toBe('203.0.113.9');
      expect(xff([]).resolve('::FFFF:203.0.113.9', [])).toBe('203.0.113.9');
      expect(xff([]).resolve('::ffff:cb00:7109', [])).toBe('::ffff:cb00:7109');
      expect(xff([]).resolve('::1', [])).toBe('::1');
      expect(xff([]).resolve('::fffe:203.0.113.9', [])).toBe('::fffe:203.0.113.9');
      expect(xff([]).resolve('::ffff:203.0.113.999', [])).toBe('::ffff:203.0.113.999');
      expect(xff([]).resolve(':ffff:203.0.113.9', [])).toBe(':ffff:203.0.113.9');
      expect(xff([]).resolve('::ffff::203.0.113.9', [])).toBe('::ffff::203.0.113.9');
      expect(xff([]).resolve('::fffff:203.0.113.9', [])).toBe('::fffff:203.0.113.9');
    });
  });

  describe('X-Forwarded-For', () => {
    it.each([
      ['a single hop', ['203.0.113.7'], '203.0.113.7'],
      ['the first untrusted hop from the right', ['198.51.100.1, 203.0.113.7, 10.0.0.2'], '203.0.113.7'],
      ['every hop trusted: the leftmost', ['10.0.0.3, 10.0.0.2'], '10.0.0.3'],
      ['spaces and tabs around entries', ['  203.0.113.7 ,\t10.0.0.2  '], '203.0.113.7'],
      ['an IPv4 port stripped', ['203.0.113.7:5678'], '203.0.113.7'],
      ['a bracketed IPv6 with port', ['[2001:db8::7]:80'], '2001:db8::7'],
      ['a bracketed IPv6 without port', ['[2001:db8::7]'], '2001:db8::7'],
      ['a bare IPv6', ['2001:db8::7'], '2001:db8::7'],
      ['trusted IPv6 hops skipped', ['2001:db8::7, 2001:db8:ffff::2'], '2001:db8::7'],
      ['an IPv4-mapped hop given as IPv4', ['::ffff:203.0.113.7'], '203.0.113.7'],
      ['a mapped hop of a trusted proxy skipped', ['203.0.113.7, ::ffff:10.0.0.2'], '203.0.113.7'],
      ['a single trusted bare address', ['203.0.113.7, 192.0.2.1'], '203.0.113.7'],
      ['lines concatenated in order', ['198.51.100.1, 203.0.113.7', '10.0.0.2'], '203.0.113.7'],
      ['lines: the client on the second line', ['198.51.100.1', '203.0.113.7, 10.0.0.2'], '203.0.113.7'],
      ['lines: every hop trusted', ['10.0.0.4', '10.0.0.3', '10.0.0.2'], '10.0.0.4'],
    ])('%s', (_name, values, expected) => {
      expect(xff().resolve('10.0.0.1', lines('X-Forwarded-For', ...values))).toBe(expected);
    });

    it('matches the header name in any case', () => {
      expect(xff().resolve('10.0.0.1', lines('x-forwarded-for', '203.0.113.7'))).toBe('203.0.113.7');
      expect(xff().resolve('10.0.0.1', lines('X-FORWARDED-FOR', '203.0.113.7'))).toBe('203.0.113.7');
      expect(xff().resolve('10.0.0.1', lines('X-Forwarded-Fo', '203.0.113.7'))).toBe('10.0.0.1');
      expect(xff().resolve('10.0.0.1', lines('X-Forwarded-Forx', '203.0.113.7'))).toBe('10.0.0.1');
      expect(xff().resolve('10.0.0.1', lines('X-Forwarded-Fox', '203.0.113.7'))).toBe('10.0.0.1');
      expect(xff().resolve('10.0.0.1', lines('X_Forwarded-For', '203.0.113.7'))).toBe('10.0.0.1');
    });

    it('answers a trusted peer when the header is absent', () => {
      expect(xff().resolve('10.0.0.1', lines('Forwarded', 'for=203.0.113.7'))).toBe('10.0.0.1');
      expect(xff().resolve('::ffff:10.0.0.1', [])).toBe('10.0.0.1');
    });

    describe('spoofing', () => {
      it('ignores a header sent by an untrusted peer', () => {
        expect(xff().resolve('198.51.100.66', lines('X-Forwarded-For', '10.0.0.5'))).toBe('198.51.100.66');
        expect(xff().resolve('198.51.100.66', lines('X-Forwarded-For', '1.1.1.1, 10.0.0.2'))).toBe('198.51.100.66');
      });

      it('does not believe entries an attacker prepended', () => {
        // The attacker sent `X-Forwarded-For: 1.1.1.1, 10.0.0.9`; the trusted proxy appended the
        // attacker's address. Only the part right of the trusted hops counts.
        const header = '1.1.1.1, 10.0.0.9, 198.51.100.66';
        expect(xff().resolve('10.0.0.1', lines('X-Forwarded-For', header))).toBe('198.51.100.66');
        // A forged line before the proxy's own line.
        expect(xff().resolve('10.0.0.1', lines('X-Forwarded-For', '10.0.0.9', '198.51.100.66'))).toBe('198.51.100.66');
      });

      it('stops at garbage and answers the last trusted address', () => {
        const cases: [string, string][] = [
          ['evil, 10.0.0.2', '10.0.0.2'],
          ['203.0.113.7, unknown, 10.0.0.2', '10.0.0.2'],
          ['203.0.113.7, , 10.0.0.2', '10.0.0.2'],
          ['203.0.113.7,', '10.0.0.1'],
          ['', '10.0.0.1'],
          ['203.0.113.7, 10.0.0.2:abc', '10.0.0.1'],
          ['203.0.113.7, 10.0.0.2:99999', '10.0.0.1'],
          ['203.0.113.7, 10.0.0.2:', '10.0.0.1'],
          ['203.0.113.7, [2001:db8::7', '10.0.0.1'],
          ['203.0.113.7, [2001:db8::7]x', '10.0.0.1'],
          ['203.0.113.7, [2001:db8::7]:x', '10.0.0.1'],
          ['203.0.113.7, [10.0.0.2]', '10.0.0.1'],
          ['203.0.113.7, fe80::1%eth0', '10.0.0.1'],
          ['203.0.113.7, 010.0.0.2', '10.0.0.1'],
          ['203.0.113.7, 10.0.0.2 10.0.0.3', '10.0.0.1'],
          ['203.0.113.7, "10.0.0.2"', '10.0.0.1'],
          ['<script>, 10.0.0.2', '10.0.0.2'],
          ['203.0.113.7, example.com', '10.0.0.1'],
          ['203.0.113.7, example.com:80', '10.0.0.1'],
        ];
        for (const [header, expected] of cases) {
          expect([header, xff().resolve('10.0.0.1', lines('X-Forwarded-For', header))]).toEqual([header, expected]);
        }
      });
    });
  });

  describe('Forwarded (RFC 7239)', () => {
    it.each([
      ['a token', ['for=203.0.113.7'], '203.0.113.7'],
      ['a quoted IPv4 with port', ['for="203.0.113.7:4711"'], '203.0.113.7'],
      ['a quoted, bracketed IPv6 with port', ['for="[2001:db8:cafe::17]:4711"'], '2001:db8:cafe::17'],
      ['a quoted, bracketed IPv6', ['For="[2001:db8:cafe::17]"'], '2001:db8:cafe::17'],
      ['an obfuscated port', ['for="203.0.113.7:_abc"'], '203.0.113.7'],
      ['other parameters around', ['proto=https;for=203.0.113.7;by=10.0.0.1;host=weir.test'], '203.0.113.7'],
      ['the parameter name in any case', ['FOR=203.0.113.7'], '203.0.113.7'],
      ['hops in one line', ['for=198.51.100.1, for=203.0.113.7, for=10.0.0.2'], '203.0.113.7'],
      ['hops over lines', ['for=198.51.100.1, for=203.0.113.7', 'for=10.0.0.2;proto=http'], '203.0.113.7'],
      ['every hop trusted: the leftmost', ['for=10.0.0.3, for="[2001:db8:ffff::1]"'], '10.0.0.3'],
      ['a quoted comma and semicolon do not split', ['for=203.0.113.7;ext="a,b;c", for=10.0.0.2'], '203.0.113.7'],
      ['a quoted-pair', ['for="203.0.113.\\7"'], '203.0.113.7'],
      ['an unbracketed IPv6 (lenient)', ['for=2001:db8::7'], '2001:db8::7'],
      ['a mapped address as IPv4', ['for="[::ffff:203.0.113.7]"'], '203.0.113.7'],
    ])('%s', (_name, values, expected) => {
      expect(forwarded().resolve('10.0.0.1', lines('Forwarded', ...values))).toBe(expected);
    });

    it.each([
      ['unknown', 'for=unknown, for=10.0.0.2', '10.0.0.2'],
      ['an obfuscated identifier', 'for=_hidden, for=10.0.0.2', '10.0.0.2'],
      ['an element without for', 'for=203.0.113.7, proto=https', '10.0.0.1'],
      ['two for parameters in one element', 'for=203.0.113.7;for=198.51.100.1', '10.0.0.1'],
      ['an empty for', 'for=', '10.0.0.1'],
      ['an empty quoted for', 'for=""', '10.0.0.1'],
      ['text after a quoted value', 'for="203.0.113.7"x', '10.0.0.1'],
      ['an unterminated quote', 'for=203.0.113.7, for="10.0.0.2', '10.0.0.1'],
      ['a half quoted value', 'for="203.0.113.7', '10.0.0.1'],
      ['an unbracketed IPv6 with port', 'for="2001:db8::7:80:1:2:3:4:5"', '10.0.0.1'],
      ['a bad port', 'for="203.0.113.7:_"', '10.0.0.1'],
      ['a bracketed IPv6 with a bad port', 'for="[2001:db8::7]:port"', '10.0.0.1'],
      ['a host name', 'for=example.com', '10.0.0.1'],
      ['garbage', ';;,,==', '10.0.0.1'],
    ])('stops at %s', (_name, value, expected) => {
      expect(forwarded().resolve('10.0.0.1', lines('Forwarded', value))).toBe(expected);
    });

    it('ignores X-Forwarded-For and untrusted peers', () => {
      expect(forwarded().resolve('10.0.0.1', lines('X-Forwarded-For', '203.0.113.7'))).toBe('10.0.0.1');
      expect(forwarded().resolve('198.51.100.66', lines('Forwarded', 'for=10.0.0.5'))).toBe('198.51.100.66');
    });

    it('does not believe elements an attacker prepended', () => {
      const header = 'for=1.1.1.1, for=10.0.0.9, for="198.51.100.66:1234"';
      expect(forwarded().resolve('10.0.0.1', lines('Forwarded', header))).toBe('198.51.100.66');
    });
  });

  it('refuses a trusted proxy that is not a CIDR', () => {
    expect(() => xff(['not-an-ip'])).toThrow();
  });
});
