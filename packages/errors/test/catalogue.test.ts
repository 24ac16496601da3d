import { catalogue, errorCodes } from '@weir/errors';

describe('catalogue', () => {
  it('marks only upstream errors retryable, and gives every code an error status', () => {
    for (const code of errorCodes) {
      const entry = catalogue[code];
      if (entry.retryable) expect(entry.source).toBe('upstream');
      expect(entry.status).toBeGreaterThanOrEqual(400);
      expect(entry.status).toBeLessThan(600);
      expect(code).toMatch(/^WEIR_ERR_[A-Z0-9_]+$/);
    }
  });
});
