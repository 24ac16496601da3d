import { decodeBase64, encodeBase64 } from '@weir/bundle';

describe('strict base64', () => {
  it('decodes canonical base64 and encodes back to the same text', () => {
    for (const bytes of [Buffer.alloc(0), Buffer.from([0]), Buffer.from([1, 2]), Buffer.from([1, 2, 3]), Buffer.from('héllo', 'utf8')]) {
      const text = encodeBase64(bytes);
      expect(decodeBase64(text)).toEqual(bytes);
    }
  });

  it('encodes a view of a larger buffer without its neighbours', () => {
    const whole = Buffer.from([9, 1, 2, 3, 9]);
    expect(encodeBase64(whole.subarray(1, 4))).toBe(Buffer.from([1, 2, 3]).toString('base64'));
  });

  it.each([
    ['missing padding', 'AQI'],
    ['whitespace', 'AQID AQID'],
    ['a line break', 'AQID\nAQID'],
    ['url-safe alphabet', 'A-_A'],
    ['non-zero padding bits', 'AQJ='],
    ['stray characters', 'AQID!'],
    ['padding in the middle', 'AQ==AQID'],
  ])('refuses %s', (_what, text) => {
    expect(decodeBase64(text)).toBeNull();
  });

  it('checks the decoded length when asked', () => {
    const text = Buffer.alloc(32, 7).toString('base64');
    expect(decodeBase64(text, 32)).toHaveLength(32);
    expect(decodeBase64(text, 64)).toBeNull();
  });
});
