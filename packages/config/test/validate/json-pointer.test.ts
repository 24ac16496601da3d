import { compareJsonPointers, escapePointerToken, jsonPointer } from '../../src/validate/json-pointer';

describe('json pointers', () => {
  it('escapes ~ and / (RFC 6901)', () => {
    expect(escapePointerToken('a/b~c')).toBe('a~1b~0c');
    expect(jsonPointer('routes', 2, 'directResponse', 'headers', 'x/y')).toBe('/routes/2/directResponse/headers/x~1y');
    expect(jsonPointer()).toBe('');
  });

  it('sorts array indexes numerically and parents before children', () => {
    const sorted = ['/routes/10', '/routes/2/name', '/listeners/0', '/routes/2', '', '/routes/b', '/routes/a'].sort(compareJsonPointers);
    expect(sorted).toEqual(['', '/listeners/0', '/routes/2', '/routes/2/name', '/routes/10', '/routes/a', '/routes/b']);
  });
});
