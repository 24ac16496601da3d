import { keyOrigin, normalizeHost, primaryKey, selectVariant, variantValue, varyNames } from '@weir/cache';
import { entry } from './support/fixtures';

describe('primaryKey', () => {
  it('is scheme://host/path?query with a lower-cased host and no default port', () => {
    expect(primaryKey('http', 'Example.COM:80', '/a/B?x=1')).toBe('http://example.com/a/B?x=1');
    expect(primaryKey('https', 'example.com:443', '/')).toBe('https://example.com/');
    expect(primaryKey('https', 'example.com:80', '/')).toBe('https://example.com:80/');
    expect(primaryKey('http', 'example.com:8080', '/')).toBe('http://example.com:8080/');
    expect(normalizeHost('http', '[::1]:80')).toBe('[::1]');
  });

  it('keeps the query exactly as received', () => {
    expect(primaryKey('http', 'h', '/p?b=2&a=1')).not.toBe(primaryKey('http', 'h', '/p?a=1&b=2'));
  });

  it('refuses targets not in origin form', () => {
    expect(primaryKey('http', 'h', '*')).toBeNull();
    expect(primaryKey('http', 'h', 'http://h/x')).toBeNull();
    expect(primaryKey('http', 'h', '')).toBeNull();
  });

  it('gives the origin of a key', () => {
    expect(keyOrigin('https://h:8443/x?y')).toBe('https://h:8443');
    expect(keyOrigin('https://h')).toBe('https://h');
  });
});

describe('secondary keys (Vary)', () => {
  it('combines Vary names with keyHeaders and refuses Vary: *', () => {
    expect(varyNames('Accept-Encoding, accept-language', ['x-tenant', 'accept-encoding'])).toEqual([
      'accept-encoding',
      'accept-language',
      'x-tenant',
    ]);
    expect(varyNames('accept, *', [])).toBeNull();
    expect(varyNames(null, [])).toEqual([]);
  });

  it('normalizes values: lines joined, whitespace around members dropped, absent is null', () => {
    expect(variantValue(['Accept-Encoding', 'gzip ,  br', 'accept-encoding', 'zstd'], 'accept-encoding')).toBe('gzip,br,zstd');
    expect(variantValue([], 'accept-encoding')).toBeNull();
    expect(variantValue(['accept-encoding', ''], 'accept-encoding')).toBe('');
  });

  it('selects the matching variant with the newest Date', () => {
    const gzipOld = entry({ vary: 'accept-encoding' }, { at: 1000_000, varyNames: ['accept-encoding'], varyValues: ['gzip'] });
    const gzipNew = entry({ vary: 'accept-encoding' }, { at: 2000_000, varyNames: ['accept-encoding'], varyValues: ['gzip'] });
    const none = entry({ vary: 'accept-encoding' }, { varyNames: ['accept-encoding'], varyValues: [null] });
    expect(selectVariant([gzipOld, gzipNew, none], ['accept-encoding', 'gzip'])).toBe(gzipNew);
    expect(selectVariant([gzipOld, gzipNew, none], [])).toBe(none);
    expect(selectVariant([gzipOld, none], ['accept-encoding', 'br'])).toBeNull();
  });
});
