import { invalidationKeys } from '@weir/cache';
import { req } from './support/fixtures';

const post = req({ method: 'POST', host: 'Example.com:80', target: '/items/1?x=1' });

describe('invalidationKeys (RFC 9111 §4.4)', () => {
  it('invalidates the target URI after a successful unsafe method', () => {
    expect(invalidationKeys(post, 200, {})).toEqual(['http://example.com/items/1?x=1']);
    expect(invalidationKeys(req({ method: 'DELETE' }), 204, {})).toEqual(['http://example.com/a']);
    expect(invalidationKeys(req({ method: 'PATCH' }), 303, {})).toEqual(['http://example.com/a']);
  });

  it('does nothing for safe methods or error statuses', () => {
    expect(invalidationKeys(req({ method: 'GET' }), 200, {})).toEqual([]);
    expect(invalidationKeys(req({ method: 'OPTIONS' }), 200, {})).toEqual([]);
    expect(invalidationKeys(post, 404, {})).toEqual([]);
    expect(invalidationKeys(post, 500, {})).toEqual([]);
    expect(invalidationKeys(post, 101, {})).toEqual([]);
  });

  it('adds same-origin Location and Content-Location, resolving relative references', () => {
    expect(invalidationKeys(post, 201, { location: '/items/2', 'content-location': 'http://EXAMPLE.com:80/items/1/view' })).toEqual([
      'http://example.com/items/1?x=1',
      'http://example.com/items/2',
      'http://example.com/items/1/view',
    ]);
    expect(invalidationKeys(post, 201, { location: 'sibling?y=2' })).toEqual(['http://example.com/items/1?x=1', 'http://example.com/items/sibling?y=2']);
  });

  it('ignores other origins (scheme, host or port)', () => {
    expect(
      invalidationKeys(post, 201, {
        location: 'https://example.com/items/2',
        'content-location': 'http://other.example/items/2',
      }),
    ).toEqual(['http://example.com/items/1?x=1']);
    expect(invalidationKeys(post, 201, { location: 'http://example.com:8080/x' })).toEqual(['http://example.com/items/1?x=1']);
    expect(invalidationKeys(post, 201, { location: 'mailto:a@b' })).toEqual(['http://example.com/items/1?x=1']);
  });

  it('skips non-origin-form targets', () => {
    expect(invalidationKeys(req({ method: 'POST', target: '*' }), 200, {})).toEqual([]);
  });
});
