import { SniTable } from '../../src/tls/index';

describe('SniTable', () => {
  const table = new SniTable('default').add(['a.example', '*.b.example'], 'ab').add(['a.example', 'c.example'], 'second');

  it('matches exact names first, case-insensitively and without a trailing dot', () => {
    expect(table.lookup('a.example')).toBe('ab');
    expect(table.lookup('A.EXAMPLE.')).toBe('ab');
    expect(table.lookup('c.example')).toBe('second');
  });

  it('matches a wildcard one label deep only', () => {
    expect(table.lookup('x.b.example')).toBe('ab');
    expect(table.lookup('b.example')).toBe('default');
    expect(table.lookup('y.x.b.example')).toBe('default');
  });

  it('falls back to the default entry', () => {
    expect(table.lookup('unknown.example')).toBe('default');
    expect(table.lookup('')).toBe('default');
  });

  it('prefers an exact name over a wildcard covering it', () => {
    const t = new SniTable('d').add(['*.example'], 'wild').add(['api.example'], 'exact');
    expect(t.lookup('api.example')).toBe('exact');
    expect(t.lookup('www.example')).toBe('wild');
  });
});
