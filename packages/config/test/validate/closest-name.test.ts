import { closestName } from '../../src/validate/closest-name';

describe('closestName', () => {
  it('suggests the nearest candidate within two edits, case-insensitively', () => {
    expect(closestName('prot', ['name', 'address', 'port', 'limits'])).toBe('port');
    expect(closestName('Port', ['port'])).toBe('port');
    expect(closestName('upstreem', ['upstream', 'upstreams'])).toBe('upstream');
    expect(closestName('listnres', ['listeners'])).toBe('listeners');
    expect(closestName('wbe', ['api', 'web'])).toBe('web');
  });

  it('suggests nothing for distant or very long words', () => {
    expect(closestName('completely', ['port', 'name'])).toBeUndefined();
    expect(closestName('b', ['web', 'ab'])).toBe('ab');
    expect(closestName('b', ['web'])).toBeUndefined();
    expect(closestName('abcdef', ['badcfe'])).toBeUndefined();
    expect(closestName('p'.repeat(65), ['p'.repeat(65)])).toBeUndefined();
    expect(closestName('port', ['p'.repeat(65)])).toBeUndefined();
    expect(closestName('port', [])).toBeUndefined();
    const many = Array.from({ length: 1001 }, (_, i) => `name-${i}`);
    expect(closestName('name-1', many)).toBeUndefined();
    expect(closestName('name-1', many.slice(0, 1000))).toBe('name-1');
  });
});
